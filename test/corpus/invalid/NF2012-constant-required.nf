// expect NF2012 at 4:15
nf bad on xdp
on packet {
  for i in 0..pkt_len() { }
  pass
}
