// expect NF2010 at 4:11
nf bad on xdp
on packet {
  let b = true as u8
  pass
}
