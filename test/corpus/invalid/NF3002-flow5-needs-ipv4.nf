// expect NF3002 at 4:11
nf bad on xdp
on packet {
  let f = flow5()
  pass
}
