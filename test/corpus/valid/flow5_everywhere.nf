// flow5 wherever a value can go: let, var (field writes), struct fields (with padding around it),
// table keys and values, sketch keys, queue elements, hash(), equality, field compares, match on a
// field, a literal built from header fields.
nf flow5_everywhere on xdp

type rec { tag: u8, f: flow5, n: u16 }

table byflow: hash<flow5, rec>(capacity = 64)
table perflow: hash<flow5, u64>(capacity = 64)
table rev: array<u32, flow5>(capacity = 8)
table ck: cuckoo<flow5, rec>(capacity = 64)
sketch cm: count_min<flow5>(rows = 2, width = 64)
sketch bl: bloom<flow5>(bits = 256, hashes = 2)
sketch tk: topk<flow5>(k = 8)
queue q: fifo<flow5>(capacity = 8)
counter same, hashed, found, tracked

on packet {
  let ip = ipv4 else { pass }
  let f = flow5()
  var g = f
  g.sport = 7
  let back = flow5 { src: ip.dst, dst: ip.src, sport: f.dport, dport: f.sport, proto: ip.proto }
  var r = rec { tag: 1, f: back, n: 3 }
  r.f.proto = 9
  byflow.insert(f, r)
  perflow.add(f, 1)
  rev.insert(pkt_len() % 8, f)
  ck.insert(back, r)
  cm.add(f, 1)
  bl.insert(g)
  tk.add(f, 1)
  q.push(back)
  if f == g { same += 1 }
  if hash(f) % 2 == 0 { hashed += 1 }
  if let x = rev.get(pkt_len() % 8) { if x == f && x.dport == f.dport { found += 1 } }
  if let y = ck.get(f) { if y.f == back && y.f.proto == 9 { found += 1 } }
  if tk.count(f) > 2 { tracked += 1 }
  if let e = q.pop() { if e == g { drop } }
  if let z = byflow.get(g) { if z.f.sport == 7 { tx } }
  if cm.estimate(f) > 3 && bl.contains(f) { drop }
  match f.proto {
    6 => { if f.sport < 1024 { tx } }
    17 => { if f.dport >= 1024 && f.src == ip.src { drop } }
    _ => {}
  }
  pass
}
