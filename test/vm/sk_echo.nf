// VM witness for the kmod sketch lowerings: every estimate and membership answer is written into
// the packet, so a kmod object whose cells differ from the pure one's (or the interpreter's) by
// one bit changes the output bytes. Small widths force collisions; c2 (2 rows) stays pure BPF
// under `auto` while the others go kmod, so the kmod object mixes both lowerings.
nf sk_echo on xdp

sketch c8: count_min<ip4>(rows = 8, width = 64)
sketch c2: count_min<flow5>(rows = 2, width = 64)
sketch p4: count_min<ip4>(rows = 4, width = 128, per_cpu)
sketch b6: bloom<ip4>(bits = 256, hashes = 6)

on packet {
  let ip = ipv4 else { pass }
  c8.add(ip.src, 3)
  c2.add(flow5(), 1)
  p4.add(ip.dst, 5)
  ip.id = (c8.estimate(ip.dst) + c2.estimate(flow5()) * 256) as u16
  ip.tos = p4.estimate(ip.src) as u8
  if b6.contains(ip.dst) { ip.ttl = 1 } else { ip.ttl = 2 }
  b6.insert(ip.src)
  tx
}
