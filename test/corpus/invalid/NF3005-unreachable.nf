// expect NF3005 at 6:3
nf bad on xdp
counter dropped
on packet {
  drop
  dropped += 1
}
