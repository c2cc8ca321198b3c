// IPv6 on TC egress: hop-limit decrement, per-CPU source counts, destination rewrite, TCP port 22
// blocked (after any extension headers).
nf v6_edge on tc egress

const GW: ip6 = 2001:db8::1
table seen6: hash<ip6, u64>(capacity = 1024, per_cpu)

on packet {
  let ip = ipv6 else { pass }
  if ip.hop == 0 {
    drop
  }
  ip.hop = ip.hop - 1
  seen6.add(ip.src, 1)
  if ip.dst == GW {
    ip.dst = 2001:db8::2
  }
  if let t = tcp {
    if t.dport == 22 {
      drop
    }
  }
  if ip.proto == 17 {
    tx
  }
  pass
}
