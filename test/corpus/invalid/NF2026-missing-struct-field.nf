// expect NF2026 at 6:11
nf bad on xdp
type K { a: u32, b: u32 }
table t: hash<K, u32>(capacity = 16)
on packet {
  let k = K { a: 1 }
  t.insert(k, 1)
  pass
}
