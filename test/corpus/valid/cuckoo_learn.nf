// Datapath learning into small cuckoo tables, so that random traffic fills them and exercises
// displacement, the "full" result, remove and per-CPU shards against the interpreter: every frame
// refreshes its source MAC's last-seen time; an IPv4 frame with TTL 1 forgets its source instead.
// Flows are counted per CPU in a second table; a full table drops the frame.
nf cuckoo_learn on xdp

table seen: cuckoo<mac, u64>(capacity = 64, max_kicks = 4)
table flows: cuckoo<flow5, u32>(capacity = 32, max_kicks = 16, per_cpu)
counter learned, refreshed, full, forgot, flows_full

on packet {
  let e = eth else { drop }
  if let ip = ipv4 {
    if ip.ttl == 1 {
      if seen.remove(e.src) { forgot += 1 }
      pass
    }
    let f = flow5()
    if let n = flows.get(f) {
      n += 1
    } else if !flows.insert(f, 1) {
      flows_full += 1
    }
  }
  let known = seen.contains(e.src)
  if !seen.insert(e.src, now_ns()) {
    full += 1
    drop
  }
  if known { refreshed += 1 } else { learned += 1 }
  pass
}
