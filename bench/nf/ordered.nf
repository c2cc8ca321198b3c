// Benchmark: ordered (skip list) lookup + insert, 1024 entries, shared (spin lock).
// Per packet: the IPv4 source's count is looked up; present → +1, drop above `threshold`;
// absent → inserted with 1 (refused once the table is full).
// Hand-written twin: bench/handwritten/ordered.bpf.c with -DCAP=1024 (a sorted array).
nf ordered on xdp
config threshold: u32 = 1000
table db: ordered<u32, u64>(capacity = 1024)

on packet {
  let ip = ipv4 else { pass }
  let k = ip.src as u32
  if let c = db.get(k) {
    c += 1
    if c > threshold { drop }
    pass
  }
  db.insert(k, 1)
  pass
}
