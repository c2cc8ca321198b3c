// expect NF2032 at 5:13
nf bad on xdp
sketch flows: count_min<u32>(rows = 4, width = 1024)
on packet {
  flows.add(key = 1)
  pass
}
