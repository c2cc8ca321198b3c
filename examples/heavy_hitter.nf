// heavy_hitter: count every IPv4 flow in a count-min sketch and block the source address of any
// flow whose estimated packet count crosses `threshold`. Blocked sources are dropped from then on;
// the control plane reads `blocked` (source -> time it was blocked, ns) and may clear it. Each
// block is reported once as a `blocked` event (`nfc watch heavy_hitter`).
nf heavy_hitter on xdp

config threshold: u32 = 10000 // packets per flow; change at load time

sketch flows: count_min<flow5>(rows = 4, width = 65536)
table blocked: hash<ip4, u64>(capacity = 65536)
counter dropped, passed

event blocked { src: ip4, estimate: u32 } // sent once, when a source is blocked

on packet {
  let ip = ipv4 else { pass } // not IPv4: not ours
  if blocked.contains(ip.src) {
    dropped += 1
    drop
  }
  let f = flow5()
  flows.add(f, 1)
  let estimate = flows.estimate(f)
  if estimate > threshold {
    blocked.insert(ip.src, now_ns())
    emit blocked { src = ip.src, estimate = estimate }
    dropped += 1
    drop
  }
  passed += 1
  pass
}

test "a flow over the threshold blocks its source" {
  config threshold = 3
  repeat 3 { packet udp(src = 10.0.0.1, dst = 10.0.0.2, sport = 1000, dport = 53) => pass }
  expect !blocked.contains(10.0.0.1)
  packet udp(src = 10.0.0.1, dst = 10.0.0.2, sport = 1000, dport = 53) => drop
  packet ipv4(src = 10.0.0.1, dst = 10.9.9.9) / tcp(dport = 22, flags = 0x02) => drop
  expect blocked.contains(10.0.0.1)
  expect event blocked { src = 10.0.0.1, estimate = 4 }
  expect flows.estimate(flow5 { src: 10.0.0.1, dst: 10.0.0.2, sport: 1000, dport: 53, proto: 17 }) >= 4
  expect dropped == 2 && passed == 3
}

test "other sources and pre-blocked ones" {
  config threshold = 3
  entry blocked[10.9.9.9] = 7
  packet udp(src = 10.9.9.9, dst = 10.0.0.2) => drop
  packet eth(src = 02:00:00:00:00:01) / vlan(tci = 5) / ipv4(src = 10.0.0.7, ttl = 1) / udp(dport = 53)
    => pass
  packet eth() / ipv6(src = 2001:db8::1) / udp(dport = 53) => pass
  expect blocked.get(10.9.9.9) == 7
  expect !blocked.contains(10.0.0.7)
  expect dropped == 1 && passed == 1
}
