// expect NF1001 at 4:13
nf bad on xdp
on packet {
  let x = 3 $ 4
  pass
}
