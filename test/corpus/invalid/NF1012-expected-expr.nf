// expect NF1012 at 4:16
nf bad on xdp
on packet {
  let x = (1 + )
  pass
}
