// expect NF2050 at 8:13
nf bad on xdp
header vx { flags: u8, rsvd: bytes[3] }
parse udp.dport == 4789 => vx

on packet {
  let v = vx else { pass }
  if v.rsvd[3] == 0 { drop }
  pass
}
