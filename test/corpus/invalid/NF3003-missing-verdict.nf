// expect NF3003 at 5:1
nf bad on xdp
on packet {
  if pkt_len() > 1500 { drop }
}
