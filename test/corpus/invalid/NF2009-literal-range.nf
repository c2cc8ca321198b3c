// expect NF2009 at 4:17
nf bad on xdp
on packet {
  var ttl: u8 = 300
  pass
}
