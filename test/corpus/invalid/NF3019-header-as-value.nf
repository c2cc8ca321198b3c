// expect NF3019 at 5:16
nf bad on xdp
on packet {
  let ip = ipv4 else { pass }
  let h = hash(ip)
  pass
}
