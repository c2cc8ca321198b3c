// expect NF2014 at 5:9
nf bad on xdp
on packet {
  let ip = ipv4 else { pass }
  if ip.source == 10.0.0.1 { drop }
  pass
}
