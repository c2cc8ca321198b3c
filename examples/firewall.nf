// firewall: drop packets whose source address falls in a deny prefix, for IPv4 and IPv6, and count
// packets and bytes per rule. The control plane installs rules: `deny4`/`deny6` map a prefix to a
// rule id, `rule_hits` holds per-rule statistics (per CPU; sum the shards to read them).
nf firewall on xdp

type rule_stats { packets: u64, bytes: u64 }

table deny4:     lpm<ip4, u32>(capacity = 16384)
table deny6:     lpm<ip6, u32>(capacity = 16384)
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
