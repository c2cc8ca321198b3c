// expect NF3007 at 5:6
nf bad on xdp
counter dropped
on packet {
  if dropped > 100 { drop }
  pass
}
