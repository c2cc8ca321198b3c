// expect NF3001 at 4:6
nf bad on xdp
on packet {
  if tcp.dport == 22 { drop }
  pass
}
