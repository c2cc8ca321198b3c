// expect NF2001 at 4:6
nf bad on xdp
on packet {
  if foo > 1 { drop }
  pass
}
