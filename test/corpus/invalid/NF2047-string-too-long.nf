// expect NF2047 at 4:21
nf bad on xdp
on packet {
  let k: bytes[2] = "abc"
  pass
}
