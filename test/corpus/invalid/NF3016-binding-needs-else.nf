// expect NF3016 at 4:3
nf bad on xdp
on packet {
  let ip = ipv4
  pass
}
