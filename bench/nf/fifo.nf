// Benchmark: fifo, 256 elements, per CPU. Every IPv4 packet appends its flow; once 128 wait, it
// removes the oldest and drops the packet when that flow's source address is odd. The queue never
// fills (at most 128 wait), so no push is refused.
// Hand-written twin: bench/handwritten/fifo.bpf.c (a ring with head and length).
nf fifo on xdp
queue q: fifo<flow5>(capacity = 256, per_cpu)

on packet {
  let ip = ipv4 else { pass }
  let f = flow5()
  if !q.push(f) { drop }
  if q.len() >= 128 {
    if let x = q.pop() {
      if ((x.src as u32) & 1) == 1 { drop }
    }
  }
  pass
}
