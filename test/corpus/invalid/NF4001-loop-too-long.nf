// expect NF4001 at 4:12
nf bad on xdp
on packet {
  for i in 0..4096 { }
  pass
}
