// Benchmark: bloom filter, 2^20 bits, 4 hashes, per CPU; drop flows seen before, else insert.
// Hand-written twin: bench/handwritten/bloom.bpf.c with -DBITS=1048576 -DHASHES=4.
nf bloom on xdp
sketch seen: bloom<flow5>(bits = 1048576, hashes = 4, per_cpu)

on packet {
  let ip = ipv4 else { pass }
  let f = flow5()
  if seen.contains(f) { drop }
  seen.insert(f)
  pass
}
