// expect NF3015 at 5:11
nf bad on xdp
table counts: hash<u32, u32>(capacity = 16)
on packet {
  let n = counts.get(1) + 1
  pass
}
