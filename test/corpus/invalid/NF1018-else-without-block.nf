// expect NF1018 at 4:22
nf bad on xdp
on packet {
  let ip = ipv4 else pass
  pass
}
