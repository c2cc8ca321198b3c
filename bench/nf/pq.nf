// Benchmark: pq (Eiffel integer priority queue), 32 ranks, 1024 elements, per CPU. Every IPv4
// packet pushes its flow ranked by the low 5 bits of src ^ dst; once 32 elements wait, it pops the
// most urgent one (lowest rank, oldest first) and drops the packet when that flow's source address
// is odd. The queue never fills (at most 32 wait), so no push is refused.
// Hand-written twin: bench/handwritten/pq.bpf.c (per-rank rings, linear scan for the lowest rank).
nf pq on xdp
queue q: pq<flow5>(priorities = 32, capacity = 1024, per_cpu)

on packet {
  let ip = ipv4 else { pass }
  let f = flow5()
  if !q.push(((ip.src as u32) ^ (ip.dst as u32)) & 31, f) { drop }
  if q.len() >= 32 {
    if let x = q.pop_min() {
      if ((x.src as u32) & 1) == 1 { drop }
    }
  }
  pass
}
