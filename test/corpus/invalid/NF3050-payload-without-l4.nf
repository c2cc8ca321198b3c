// expect NF3050 at 4:6
nf bad on xdp
on packet {
  if payload.len() > 0 { drop }
  pass
}
