// expect NF3001 at 5:6
nf bad on xdp
on packet {
  if let u = udp { pass }
  if udp.dport == 53 { drop }
  pass
}
