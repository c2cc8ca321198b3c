// nitro_monitor: per-flow traffic accounting at line rate with NitroSketch. Every IPv4 flow's
// bytes go into a nitro sketch that touches only ~rows/16 of its rows per packet (geometric row
// sampling, each sampled update scaled by 16), and its packets into a plain count sketch. A flow
// whose estimated bytes exceed `byte_limit` is dropped; one whose estimated packets exceed
// `pkt_limit` is marked (DSCP CS1, "lower effort") and passed. Estimates are the median of the
// rows, so with sampling a flow's byte estimate is a multiple of 16 (the scale 1/p).
nf nitro_monitor on xdp

config byte_limit: u32 = 10000000 // bytes per flow before it is dropped
config pkt_limit: u32 = 10000 // packets per flow before it is marked

sketch bytes: nitro<flow5>(rows = 9, width = 4096, p = 0.0625)
sketch pkts: count_sketch<flow5>(rows = 3, width = 4096)
counter dropped, marked, passed

on packet {
  let ip = ipv4 else { pass } // not IPv4: not ours
  let f = flow5()
  bytes.add(f, pkt_len())
  pkts.add(f, 1)
  if bytes.estimate(f) > byte_limit {
    dropped += 1
    drop
  }
  if pkts.estimate(f) > pkt_limit {
    ip.tos = 0x20 // DSCP CS1; the IPv4 checksum follows
    marked += 1
    pass
  }
  passed += 1
  pass
}

test "packet counts are exact for a lone flow, and mark past the limit" {
  config pkt_limit = 3
  repeat 3 { packet udp(src = 10.0.0.1, dst = 10.0.0.2, sport = 1000, dport = 53) => pass }
  expect pkts.estimate(flow5 { src: 10.0.0.1, dst: 10.0.0.2, sport: 1000, dport: 53, proto: 17 }) == 3
  expect marked == 0 && passed == 3
  packet udp(src = 10.0.0.1, dst = 10.0.0.2, sport = 1000, dport = 53)
    => pass as
      ipv4(src = 10.0.0.1, dst = 10.0.0.2, tos = 0x20) / udp(sport = 1000, dport = 53)
  expect marked == 1
}

test "sampled byte counts are multiples of 1/p and drop a heavy flow" {
  config byte_limit = 20000
  // 500 packets of 60 bytes = 30000 bytes; about 500 * 9 / 16 = 281 rows sampled, each adding 16 * 60
  repeat 300 { packet udp(src = 10.0.0.9, dst = 10.0.0.2, sport = 7, dport = 9) / payload(len = 18) => pass }
  expect bytes.estimate(flow5 { src: 10.0.0.9, dst: 10.0.0.2, sport: 7, dport: 9, proto: 17 }) % 16 == 0
  expect bytes.estimate(flow5 { src: 10.0.0.9, dst: 10.0.0.2, sport: 7, dport: 9, proto: 17 }) > 0
  repeat 200 { packet udp(src = 10.0.0.9, dst = 10.0.0.2, sport = 7, dport = 9) / payload(len = 18) }
  expect dropped > 0
  expect bytes.estimate(flow5 { src: 10.0.0.9, dst: 10.0.0.2, sport: 7, dport: 9, proto: 17 }) > 20000
  packet udp(src = 10.0.0.9, dst = 10.0.0.2, sport = 7, dport = 9) / payload(len = 18) => drop
  // another flow is untouched
  packet udp(src = 10.0.0.8, dst = 10.0.0.2, sport = 7, dport = 9) => pass
}

test "non-IPv4 traffic is not counted" {
  packet eth() / ipv6(src = 2001:db8::1) / udp(dport = 53) => pass
  expect passed == 0 && dropped == 0 && marked == 0
}
