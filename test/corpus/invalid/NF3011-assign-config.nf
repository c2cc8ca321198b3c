// expect NF3011 at 5:3
nf bad on xdp
config limit: u32 = 3
on packet {
  limit = 5
  pass
}
