// expect NF2008 at 4:16
nf bad on xdp
on packet {
  let a: ip4 = 10
  pass
}
