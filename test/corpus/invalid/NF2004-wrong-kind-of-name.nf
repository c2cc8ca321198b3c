// expect NF2004 at 5:6
nf bad on xdp
table blocked: hash<ip4, u64>(capacity = 64)
on packet {
  if blocked { drop }
  pass
}
