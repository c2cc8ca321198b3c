// expect NF3006 at 4:22
nf bad on xdp
on packet {
  if pkt_len() > 3 { break }
  pass
}
