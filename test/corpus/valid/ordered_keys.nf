// ordered tables over byte-ordered keys: a per-CPU ip4 map (get through a reference, next),
// a shared flow5 map (first_ge, insert until full, remove) and a mac set; drops on scan hits.
nf ordered_keys on xdp

table by_src: ordered<ip4, u32>(capacity = 200, per_cpu)
table by_flow: ordered<flow5, u16>(capacity = 300)
table by_mac: ordered<mac, u8>(capacity = 64)
counter hits, scans

on packet {
  let e = eth else { pass }
  let ip = ipv4 else { pass }
  let f = flow5()
  if by_mac.contains(e.src) { hits += 1 } else { by_mac.insert(e.src, 1) }
  if let v = by_src.get(ip.src) { v += 1 } else { by_src.insert(ip.src, 1) }
  if let n = by_src.next(ip.src) { if n == ip.dst { drop } }
  if ip.ttl < 10 { by_src.remove(ip.dst) }
  if let k = by_flow.first_ge(f) { if k.sport == f.sport { scans += 1 } }
  if !by_flow.insert(f, 7) { drop }
  if ip.ttl > 200 { by_flow.remove(f) }
  pass
}
