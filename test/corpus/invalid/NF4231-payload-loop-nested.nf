// expect NF4231 at 5:45
nf bad on xdp
on packet {
  let u = udp else { pass }
  for i in 0..1024 { if payload.find(10, i, 256) == 0 { drop } }
  pass
}
