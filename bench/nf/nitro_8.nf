// Benchmark: NitroSketch, 8 rows x 65536, p = 1/16, per CPU; sampled update only (queries are
// the control plane's). Hand-written twin: bench/handwritten/nitro.bpf.c with -DROWS=8
// -DWIDTH=65536 -DONE_IN=16 (bpf_get_prandom_u32 per row).
nf nitro_8 on xdp
sketch s: nitro<flow5>(rows = 8, width = 65536, p = 0.0625, per_cpu)

on packet {
  let ip = ipv4 else { pass }
  s.add(flow5(), 1)
  pass
}
