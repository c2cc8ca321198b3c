// expect NF2007 at 6:3
nf bad on xdp
table blocked: hash<ip4, u64>(capacity = 64)
on packet {
  let ip = ipv4 else { pass }
  blocked.insert(ip.src)
  pass
}
