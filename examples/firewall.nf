// firewall: drop packets whose source address falls in a deny prefix, for IPv4 and IPv6, and count
// packets and bytes per rule. The control plane installs rules: `deny4`/`deny6` map a prefix to a
// rule id, `rule_hits` holds per-rule statistics (per CPU; sum the shards to read them).
nf firewall on xdp

type rule_stats { packets: u64, bytes: u64 }

table deny4: lpm<ip4, u32>(capacity = 16384)
table deny6: lpm<ip6, u32>(capacity = 16384)
table rule_hits: array<u32, rule_stats>(capacity = 1024, per_cpu)
counter allowed, denied, not_ip

on packet {
  if let ip = ipv4 {
    if let rule = deny4.get(ip.src) {
      if let s = rule_hits.get(rule) {
        s.packets += 1
        s.bytes += pkt_len()
      }
      denied += 1
      drop
    }
    allowed += 1
    pass
  }
  if let ip6 = ipv6 {
    if let rule = deny6.get(ip6.src) {
      if let s = rule_hits.get(rule) {
        s.packets += 1
        s.bytes += pkt_len()
      }
      denied += 1
      drop
    }
    allowed += 1
    pass
  }
  not_ip += 1
  pass
}

test "deny prefixes drop and are counted per rule" {
  entry deny4[10.0.0.0/8] = 1
  entry deny6[2001:db8::/32] = 2
  packet udp(src = 10.1.2.3, dst = 192.168.0.1) => drop
  packet ipv4(src = 10.200.0.1) / tcp(dport = 22) / payload(len = 10) => drop
  packet eth() / ipv6(src = 2001:db8::5, dst = 2001:db8::6) / udp(dport = 53) => drop
  packet udp(src = 192.168.0.1, dst = 10.1.2.3) => pass
  packet eth() / ipv6(src = 2001:db9::1) / tcp(dport = 80) => pass
  packet eth(type = 0x0806) / payload(len = 28) => pass
  expect rule_hits.get(1).packets == 2
  expect rule_hits.get(1).bytes == 42 + 64
  expect rule_hits.get(2).packets == 1
  expect rule_hits.get(0).packets == 0
  expect denied == 3 && allowed == 2 && not_ip == 1
}
