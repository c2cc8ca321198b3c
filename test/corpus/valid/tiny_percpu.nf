// Every kind at its smallest size, per CPU where the kind allows it: capacity-1 tables, a
// one-cell count-min, an 8-bit bloom filter (one 64-bit word in the C; the interpreter stores the
// same shape), one-slot queues. The differential compares the whole state of each.
nf tiny_percpu on xdp
type st { a: u32, b: u64 }
table ar: array<u32, u64>(capacity = 1, per_cpu)
table hs: hash<u32, st>(capacity = 1, per_cpu)
table lr: lru<ip4, u64>(capacity = 1, per_cpu)
table lp: lpm<ip4, u32>(capacity = 1, per_cpu)
table ck: cuckoo<u32, u32>(capacity = 16, per_cpu)
table od: ordered<u32, u32>(capacity = 1, per_cpu)
sketch cm: count_min<u32>(rows = 1, width = 1, per_cpu)
sketch bl: bloom<u32>(bits = 8, hashes = 1, per_cpu)
sketch cs: count_sketch<u32>(rows = 1, width = 1, per_cpu)
sketch ni: nitro<u32>(rows = 1, width = 1, one_in = 2, per_cpu)
sketch tk: topk<u32>(k = 8, per_cpu)
sketch hl: hll<u32>(precision = 4, groups = 1, per_cpu)
queue ff: fifo<u32>(capacity = 1, per_cpu)
queue pq1: pq<u32>(priorities = 1, capacity = 1, per_cpu)
queue tw: timer_wheel<u32>(slots = 2, tick_ns = 1, capacity = 1, per_cpu)
counter c
on packet {
  let ip = ipv4 else { pass }
  let n = pkt_len()
  ar.add(0, 1)
  hs.insert(n, st { a: n, b: 1 })
  lr.add(ip.src, 1)
  if lp.contains(ip.dst) { drop }
  ck.insert(n, n)
  od.insert(n, n)
  cm.add(n, 1)
  bl.insert(n)
  cs.add(n, 1)
  ni.add(n, 1)
  tk.add(n, 1)
  hl.add(n)
  ff.push(n)
  pq1.push(0, n)
  tw.schedule(now_ns() + 5, n)
  if cm.estimate(n) > 3 ||
    bl.contains(n + 1) ||
    cs.estimate(n) > 2 ||
    ni.estimate(n) > 4 ||
    tk.count(n) > 2 ||
    hl.estimate() > 3 { c += 1 }
  if let x = ff.pop() { if x == 60 { drop } }
  if let x = pq1.pop_min() { if x == 61 { drop } }
  if let x = tw.pop_due(now_ns()) { if x == 62 { drop } }
  if let v = od.first_ge(0) { if v == 64 { tx } }
  pass
}

test "an 8-bit bloom filter is read back from both sides" {
  packet ipv4(src = 10.0.0.1) / udp(dport = 7) / payload(len = 20) => pass
  expect bl.contains(62)
  expect ar.get(0) == 1
  expect hs.contains(62)
}
