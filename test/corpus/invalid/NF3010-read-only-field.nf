// expect NF3010 at 5:6
nf bad on xdp
on packet {
  let ip = ipv4 else { pass }
  ip.csum = 0
  pass
}
