// expect NF2045 at 6:20
nf bad on xdp
on packet {
  let ip = ipv4 else { pass }
  let u = udp else { pass }
  payload.write(0, ip.src)
  pass
}
