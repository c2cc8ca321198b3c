// expect NF2011 at 5:13
nf bad on xdp
on packet {
  let ip = ipv4 else { pass }
  if ip.src > 10.0.0.0 { drop }
  pass
}
