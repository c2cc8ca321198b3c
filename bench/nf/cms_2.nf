// Benchmark: count-min sketch, 2 row(s) x 65536, per CPU; add then estimate per packet.
// Hand-written twin: bench/handwritten/cms.bpf.c with -DROWS=2 -DWIDTH=65536.
nf cms_2 on xdp
config threshold: u32 = 1000
sketch s: count_min<flow5>(rows = 2, width = 65536, per_cpu)

on packet {
  let ip = ipv4 else { pass }
  let f = flow5()
  s.add(f, 1)
  if s.estimate(f) > threshold { drop }
  pass
}
