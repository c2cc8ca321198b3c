// topk_report: keep the 8 heaviest IPv4 sources by bytes in a Space-Saving top-k and mark the
// traffic of any tracked source whose byte count has reached `report_bytes` with DSCP CS1
// (tos 0x20, "lower effort"), so a downstream scheduler deprioritises heavy talkers. The control
// plane reads the board (map `talkers`: fp[], cnt[], key[] — docs/blocks/topk.md) to report the
// top sources. Space-Saving never under-counts a tracked source: a newcomer inherits the evicted
// minimum, so its count is an upper bound, and any source above total/8 bytes is on the board.
// The packet that takes a source over `report_bytes` sends a `heavy_talker` event.
nf topk_report on xdp

config report_bytes: u32 = 10000000 // mark from 10 MB on; change at load time

sketch talkers: topk<ip4>(k = 8, export)
counter marked, packets

event heavy_talker { src: ip4, bytes: u32 }

on packet {
  let ip = ipv4 else { pass } // not IPv4: not ours
  packets += 1
  let len = pkt_len()
  let bytes = talkers.add(ip.src, len)
  if bytes >= report_bytes {
    if bytes - len < report_bytes { emit heavy_talker { src = ip.src, bytes = bytes } } // crossed now
    ip.tos = 0x20 // checksum kept right by the compiler
    marked += 1
  }
  pass
}

test "counts bytes per source and marks once over the threshold" {
  config report_bytes = 300
  repeat 2 { packet udp(src = 10.0.0.1, dst = 10.0.0.9) / payload(len = 58) => pass } // 100 bytes each
  packet udp(src = 10.0.0.2, dst = 10.0.0.9) / payload(len = 158) => pass // 200 bytes
  expect talkers.count(10.0.0.1) == 200 && talkers.count(10.0.0.2) == 200
  packet udp(src = 10.0.0.1, dst = 10.0.0.9) / payload(len = 58)
    => pass as
      ipv4(src = 10.0.0.1, dst = 10.0.0.9, tos = 0x20) / udp() / payload(len = 58)
  expect talkers.count(10.0.0.1) == 300 && talkers.count(10.0.0.3) == 0
  expect event heavy_talker { src = 10.0.0.1, bytes = 300 }
  expect marked == 1 && packets == 4
}

test "a full board evicts its minimum; the newcomer inherits it" {
  // eight sources with 1..8 packets of 100 bytes: 10.0.0.1 (100 bytes, slot 0) is the minimum
  packet udp(src = 10.0.0.1) / payload(len = 58)
  repeat 2 { packet udp(src = 10.0.0.2) / payload(len = 58) }
  repeat 3 { packet udp(src = 10.0.0.3) / payload(len = 58) }
  repeat 4 { packet udp(src = 10.0.0.4) / payload(len = 58) }
  repeat 5 { packet udp(src = 10.0.0.5) / payload(len = 58) }
  repeat 6 { packet udp(src = 10.0.0.6) / payload(len = 58) }
  repeat 7 { packet udp(src = 10.0.0.7) / payload(len = 58) }
  repeat 8 { packet udp(src = 10.0.0.8) / payload(len = 58) }
  expect talkers.count(10.0.0.1) == 100 && talkers.count(10.0.0.8) == 800
  packet udp(src = 10.0.0.66) / payload(len = 8) // 50 bytes, board full
  expect talkers.count(10.0.0.1) == 0 // the minimum went
  expect talkers.count(10.0.0.66) == 150 // 100 inherited + 50
  packet udp(src = 10.0.0.1) / payload(len = 58) // back: evicts 10.0.0.66 (150)
  expect talkers.count(10.0.0.1) == 250 && talkers.count(10.0.0.66) == 0
  packet udp(src = 10.0.0.2) / payload(len = 58) // a tracked source just adds
  expect talkers.count(10.0.0.2) == 300 && talkers.count(10.0.0.8) == 800
  expect marked == 0 && packets == 39
}

test "non-IPv4 traffic is not counted" {
  packet eth() / ipv6(src = 2001:db8::1) / udp(dport = 53) => pass
  packet hex("ffffffffffff0200000000010806") => pass // ARP ethertype
  expect packets == 0 && talkers.count(0.0.0.0) == 0
}
