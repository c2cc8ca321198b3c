// expect NF3001 at 5:3
nf bad on xdp
on packet {
  let t = tcp else { pass }
  ipv4.ttl = 3
  pass
}
