// expect NF3018 at 6:10
nf bad on xdp
table routes: lpm<ip4, u32>(capacity = 64)
on packet {
  let ip = ipv4 else { pass }
  routes.insert(ip.dst, 1)
  pass
}
