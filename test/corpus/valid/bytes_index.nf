// Computed indices into bytes[N] of small lengths (F18): header fields and locals, reads and
// writes. clang knew the index small and the stack copy aligned and OR-ed them into the address,
// which the verifier refuses on a pointer; nf_index() hides the index after its bounds check.
nf bytes_index on xdp

header vx { b1: bytes[1], b2: bytes[2], b4: bytes[4], tag: u8 }
parse udp.dport == 4789 => vx

table seen: hash<u8, u32>(capacity = 16)
counter twos, fours, ones

on packet {
  let n = pkt_len()
  if let v = vx {
    var two = v.b2
    var four = v.b4
    two[n % 2] = 7
    four[(n + 1) % 4] = 9
    four[n % 5] += 3
    if two[(n + 1) % 2] == 7 { twos += 1 }
    if four[n % 4] == 9 { fours += 1 }
    seen.add(v.b2[n % 2], 1)
    seen.add(v.b4[n % 4], 1)
    if v.b1[n % 1] == 3 { ones += 1 }
    v.b4[n % 4] = 5
    v.b2[(n + 1) % 2] = v.tag
    if v.b2[n % 3] == 2 { drop }
  }
  pass
}
