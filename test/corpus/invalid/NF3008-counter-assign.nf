// expect NF3008 at 5:11
nf bad on xdp
counter dropped
on packet {
  dropped = 0
  pass
}
