// Benchmark: count sketch, 5 rows x 65536, per CPU; add then estimate (median) per packet.
// Hand-written twin: bench/handwritten/count_sketch.bpf.c with -DROWS=5 -DWIDTH=65536.
nf cs_5 on xdp
config threshold: u32 = 1000
sketch s: count_sketch<flow5>(rows = 5, width = 65536, per_cpu)

on packet {
  let ip = ipv4 else { pass }
  let f = flow5()
  s.add(f, 1)
  if s.estimate(f) > threshold { drop }
  pass
}
