// expect NF2033 at 5:11
nf bad on xdp
sketch flows: count_min<u32>(rows = 4, width = 1024)
on packet {
  let x = flows.add(1, 1)
  pass
}
