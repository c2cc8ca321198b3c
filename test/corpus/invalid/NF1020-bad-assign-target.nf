// expect NF1020 at 4:3
nf bad on xdp
on packet {
  1 + 2 = 3
  pass
}
