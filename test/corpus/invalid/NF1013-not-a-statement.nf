// expect NF1013 at 4:3
nf bad on xdp
on packet {
  passs
}
