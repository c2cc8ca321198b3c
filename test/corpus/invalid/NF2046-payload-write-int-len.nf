// expect NF2046 at 6:30
nf bad on xdp
on packet {
  let ip = ipv4 else { pass }
  let u = udp else { pass }
  payload.write(0, 7 as u16, 1)
  pass
}
