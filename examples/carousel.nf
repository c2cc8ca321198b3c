// carousel: a Carousel-style pacer on TC egress (Saeed et al., "Carousel: Scalable Traffic Shaping
// at End Hosts", SIGCOMM 2017). Every IPv4 flow is limited to `rate_mbps`: a packet may leave at
// max(now, the flow's last departure) + its serialisation time at that rate. The program writes
// that earliest departure time into the packet (skb->tstamp, EDT), so the fq qdisc below releases
// it then, and records the departure on a timing wheel. Each packet first releases one due entry,
// so `released` counts departures that have happened and `wheel.len()` the packets still held
// back. A departure beyond the wheel's horizon (512 slots of 512 ns: 262 µs ahead) or a full
// wheel (128 packets held back) means the flow sends far above its rate: the packet is dropped
// (policed) instead of being queued without bound.
nf carousel on tc egress

config rate_mbps: u64 = 1000 // per-flow rate, Mbit/s

table last: hash<flow5, u64>(capacity = 16384) // flow -> its last departure (ns)
queue wheel: timer_wheel<flow5>(slots = 512, tick_ns = 512, capacity = 128)
counter paced, released, policed, other

on packet {
  let now = now_ns()
  if let gone = wheel.pop_due(now) { // one departure per packet, in time order
    released += 1
  }
  let ip = ipv4 else { other += 1; pass } // only IPv4 flows are paced
  let f = flow5()
  var dep = now
  if let l = last.get(f) { dep = max(now, l) }
  dep = dep + (pkt_len() as u64) * 8000 / rate_mbps // bits / (Mbit/s) = ns / 1000
  if !wheel.schedule(dep, f) {
    policed += 1
    drop
  }
  last.insert(f, dep)
  set_tstamp(dep)
  paced += 1
  pass
}

// Test packets run 1 µs apart (the test clock: packet i at 1 s + i µs). A 100-byte packet
// (udp() is 42 bytes, + 58 of payload) takes 8 µs at 100 Mbit/s.
test "departures are spaced by the flow's rate and released when due" {
  config rate_mbps = 100
  packet udp(src = 10.0.0.1, dst = 10.0.0.2, sport = 1000, dport = 80) / payload(len = 58) => pass
  packet udp(src = 10.0.0.1, dst = 10.0.0.2, sport = 1000, dport = 80) / payload(len = 58) => pass
  expect last.get(flow5 { src: 10.0.0.1, dst: 10.0.0.2, sport: 1000, dport: 80, proto: 17 }) == 1000016000
  expect wheel.len() == 2 && released == 0
  repeat 20 { packet eth() / ipv6() / udp(dport = 53) => pass } // 20 µs later both have left
  expect released == 2 && wheel.len() == 0 && other == 20 && paced == 2
}

test "a flow far above its rate is policed at the wheel's horizon" {
  config rate_mbps = 8 // 100 bytes: 100 µs each
  repeat 2 { packet udp(src = 10.0.0.1, dst = 10.0.0.2) / payload(len = 58) => pass }
  packet udp(src = 10.0.0.1, dst = 10.0.0.2) / payload(len = 58) => drop // 300 µs ahead
  packet udp(src = 10.0.0.3, dst = 10.0.0.2) / payload(len = 58) => pass // other flows are not
  expect policed == 1 && paced == 3 && wheel.len() == 3
}

test "a full wheel polices; the wheel wraps while it drains" {
  config rate_mbps = 800 // 150 bytes: 1.5 µs each
  repeat 450 { packet udp(src = 10.0.0.1, dst = 10.0.0.9) / payload(len = 108) }
  expect wheel.len() == 128 && policed > 0 // full after ~384 packets (1 in 3 due)
  repeat 1500 { packet eth() / ipv6() / udp(dport = 53) => pass } // 1.5 ms: over 5 revolutions
  expect wheel.len() == 0 && released == paced
  packet udp(src = 10.0.0.1, dst = 10.0.0.9) / payload(len = 108) => pass
  expect wheel.len() == 1
}
