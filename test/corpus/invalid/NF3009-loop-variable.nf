// expect NF3009 at 5:5
nf bad on xdp
on packet {
  for i in 0..4 {
    i = 2
  }
  pass
}
