// VM witness for the kmod topk lowering (compiler/blocks/kmod/topk.ts): per-CPU Space-Saving
// boards (the only shape the kmod lowering takes) of three sizes and key widths, every count
// written into the packet, so a kmod board that differs from the pure one (or the interpreter's)
// in one slot changes the output bytes. Random traffic overflows the small boards: evictions,
// inherited minimums and the lowest-slot tie rule are all exercised. `auto` keeps topk on pure
// BPF; the VM tier's forced `--runtime kmod` build runs the kfunc search.
nf topk_percpu on xdp

sketch srcs: topk<ip4>(k = 8, per_cpu)
sketch flows: topk<flow5>(k = 64, per_cpu)
sketch ports: topk<u16>(k = 256, per_cpu)

on packet {
  let ip = ipv4 else { pass }
  let s = srcs.add(ip.src)
  let f = flows.add(flow5(), pkt_len())
  let p = ports.add(ip.id, 0) // n = 0: a lookup that changes nothing
  ports.add(ip.id & 0xff)
  ip.id = (s + f * 256) as u16
  ip.tos = (p + srcs.count(ip.dst)) as u8
  ip.ttl = ports.count(ip.id & 0xff) as u8
  tx
}

test "counts per source, evicts the minimum of a full board" {
  repeat 3 { packet udp(src = 10.0.0.1, dst = 10.0.0.9) => tx }
  expect srcs.count(10.0.0.1) == 3 && srcs.count(10.0.0.9) == 0
  packet udp(src = 10.0.0.2) / payload(len = 10) => tx
  packet udp(src = 10.0.0.3) => tx
  packet udp(src = 10.0.0.4) => tx
  packet udp(src = 10.0.0.5) => tx
  packet udp(src = 10.0.0.6) => tx
  packet udp(src = 10.0.0.7) => tx
  packet udp(src = 10.0.0.8) => tx
  packet udp(src = 10.0.0.66) => tx // full: evicts 10.0.0.2 (count 1, slot 1)
  expect srcs.count(10.0.0.2) == 0 && srcs.count(10.0.0.66) == 2 && srcs.count(10.0.0.1) == 3
}
