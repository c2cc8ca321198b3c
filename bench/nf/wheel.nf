// Benchmark: timer_wheel, 256 slots of 4096 ns (about 1 ms ahead), 1024 elements, per CPU. Every
// IPv4 packet releases one due element, then schedules its flow at now + a per-destination delay
// ((dst & 1023) µs); dropped when the wheel refuses it (full / beyond the horizon).
// Hand-written twin: bench/handwritten/timer_wheel.bpf.c (slots scanned linearly).
nf wheel on xdp
queue w: timer_wheel<flow5>(slots = 256, tick_ns = 4096, capacity = 1024, per_cpu)
counter released

on packet {
  let ip = ipv4 else { pass }
  let now = now_ns()
  if let gone = w.pop_due(now) { released += 1 }
  let f = flow5()
  if !w.schedule(now + (((ip.dst as u32) & 1023) as u64) * 1000, f) { drop }
  pass
}
