// expect NF1011 at 5:9
nf bad on xdp
on packet {
  if true {
    pass
