// expect NF4103 at 5:7
// A per_cpu pq with 4096 ranks needs 32 KiB of head/tail arrays alone: one per-CPU value
// holds at most 32 KiB, so the kernel would refuse the map at load.
nf big_pq on xdp
queue q: pq<ip4>(priorities = 4096, capacity = 64, per_cpu)

on packet {
  let ip = ipv4 else { pass }
  if !q.push(1, ip.src) { drop }
  pass
}
