// expect NF3051 at 5:14
nf bad on xdp
on packet {
  let u = udp else { pass }
  if payload.length() > 0 { drop }
  pass
}
