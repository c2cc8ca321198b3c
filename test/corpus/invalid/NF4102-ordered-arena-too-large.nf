// expect NF4102 at 4:7
// An ordered table's arena is one map value: per_cpu, at most 32 KiB (nfc check, not only build).
nf q on xdp
table q: ordered<u8, u8>(capacity = 2419, per_cpu)
on packet {
  q.insert(1, 2)
  pass
}
