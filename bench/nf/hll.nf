// Benchmark: HyperLogLog of 5-tuples per destination, precision 10 (1024 registers), 1024 groups,
// per CPU; add then estimate per packet, drop when the destination's distinct-flow estimate
// exceeds `threshold`.
// Hand-written twin: bench/handwritten/hll.bpf.c with -DP=10 -DGROUPS=1024.
nf hll on xdp
config threshold: u32 = 1000
sketch s: hll<flow5>(precision = 10, groups = 1024, per_cpu)

on packet {
  let ip = ipv4 else { pass }
  let g = ip.dst as u32
  s.add(flow5(), g)
  if s.estimate(g) > threshold { drop }
  pass
}
