// expect NF3017 at 4:11
nf bad on xdp
on packet {
  let n = pkt_len() else { pass }
  pass
}
