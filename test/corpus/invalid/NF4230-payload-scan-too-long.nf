// expect NF4230 at 5:31
nf bad on xdp
on packet {
  let u = udp else { pass }
  let i = payload.find(10, 0, 1000)
  pass
}
