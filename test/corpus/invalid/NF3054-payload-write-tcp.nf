// expect NF3054 at 6:11
nf bad on xdp
on packet {
  let ip = ipv4 else { pass }
  let t = tcp else { pass }
  payload.resize(10)
  pass
}
