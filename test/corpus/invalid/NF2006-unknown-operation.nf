// expect NF2006 at 5:9
nf bad on xdp
sketch flows: count_min<u32>(rows = 4, width = 1024)
on packet {
  flows.increment(1)
  pass
}
