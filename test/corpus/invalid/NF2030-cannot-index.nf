// expect NF2030 at 5:11
nf bad on xdp
on packet {
  let ip = ipv4 else { pass }
  let b = ip.src[0]
  pass
}
