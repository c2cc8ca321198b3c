// expect NF3052 at 5:26
nf bad on xdp
on packet {
  let u = udp else { pass }
  if payload.starts_with("") { drop }
  pass
}
