// expect NF3004 at 5:37
nf bad on xdp
counter dropped
on packet {
  let ip = ipv4 else { dropped += 1 }
  pass
}
