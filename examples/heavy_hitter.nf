// heavy_hitter: count every IPv4 flow in a count-min sketch and block the source address of any
// flow whose estimated packet count crosses `threshold`. Blocked sources are dropped from then on;
// the control plane reads `blocked` (source -> time it was blocked, ns) and may clear it.
nf heavy_hitter on xdp

config threshold: u32 = 10000               // packets per flow; change at load time

sketch flows:   count_min<flow5>(rows = 4, width = 65536)
table  blocked: hash<ip4, u64>(capacity = 65536)
counter dropped, passed

on packet {
  let ip = ipv4 else { pass }               // not IPv4: not ours
  if blocked.contains(ip.src) {
    dropped += 1
    drop
  }
  let f = flow5()
  flows.add(f, 1)
  if flows.estimate(f) > threshold {
    blocked.insert(ip.src, now_ns())
    dropped += 1
    drop
  }
  passed += 1
  pass
}
