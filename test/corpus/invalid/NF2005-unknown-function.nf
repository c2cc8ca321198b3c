// expect NF2005 at 4:11
nf bad on xdp
on packet {
  let t = time_ns()
  pass
}
