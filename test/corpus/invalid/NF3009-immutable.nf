// expect NF3009 at 5:3
nf bad on xdp
on packet {
  let n: u32 = 0
  n += 1
  pass
}
