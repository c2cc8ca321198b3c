// Benchmark: blocked cuckoo lookups, cuckoo<flow5, u32>(capacity = 65536) = 4096 buckets, pre-filled
// by the bench to 25/50/75/100 % of its slots (bench/cuckoo.ts); drop when the packet's 5-tuple
// is in the table, else pass. Hand-written twin: bench/handwritten/cuckoo.bpf.c -DNBUCKETS=4096.
nf cuckoo_lookup on xdp
table t: cuckoo<flow5, u32>(capacity = 65536)

on packet {
  let ip = ipv4 else { pass }
  if t.contains(flow5()) { drop }
  pass
}
