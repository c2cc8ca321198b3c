// expect NF4002 at 5:14
nf bad on xdp
on packet {
  for i in 0..1024 {
    for j in 0..1024 { }
  }
  pass
}
