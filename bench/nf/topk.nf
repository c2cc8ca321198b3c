// Benchmark: Space-Saving top-k of 5-tuples, k = 64 slots, per CPU; one add per packet, drop when
// the flow's count (after the add) exceeds `threshold`.
// Hand-written twin: bench/handwritten/topk.bpf.c with -DK=64.
nf topk on xdp
config threshold: u32 = 1000
sketch s: topk<flow5>(k = 64, per_cpu)

on packet {
  let ip = ipv4 else { pass }
  if s.add(flow5(), 1) > threshold { drop }
  pass
}
