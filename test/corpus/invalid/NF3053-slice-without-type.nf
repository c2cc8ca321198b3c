// expect NF3053 at 5:11
nf bad on xdp
on packet {
  let u = udp else { pass }
  let k = payload.slice(0, 8)
  pass
}
