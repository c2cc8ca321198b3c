// router: forward IPv4 packets by longest-prefix match on the destination. A route names a next
// hop: the egress interface and the MAC addresses to write. The TTL is decremented with an
// incremental checksum update; packets whose TTL would expire, and packets with no route, go up
// to the kernel stack (which answers with ICMP).
nf router on xdp

type next_hop { ifindex: u32, src_mac: mac, dst_mac: mac }

table routes: lpm<ip4, u32>(capacity = 65536) // prefix -> next hop id
table next_hops: array<u32, next_hop>(capacity = 256)
counter forwarded, ttl_expired, no_route

on packet {
  let e = eth else { drop }
  let ip = ipv4 else { pass }
  if ip.ttl <= 1 {
    ttl_expired += 1
    pass
  }
  let id = routes.get(ip.dst) else {
    no_route += 1
    pass
  }
  let hop = next_hops.get(id) else {
    no_route += 1
    pass
  }
  ip.ttl -= 1
  e.src = hop.src_mac
  e.dst = hop.dst_mac
  forwarded += 1
  redirect(hop.ifindex)
}

test "a routed packet is redirected with TTL-1 and new MACs" {
  entry routes[10.1.0.0/16] = 4
  entry next_hops[4] = next_hop { ifindex: 3, src_mac: 02:00:00:00:00:aa, dst_mac: 02:00:00:00:00:bb }
  packet ipv4(src = 192.168.1.1, dst = 10.1.2.3, ttl = 64) / udp(dport = 53)
    => redirect(3) as
      eth(src = 02:00:00:00:00:aa, dst = 02:00:00:00:00:bb) /
        ipv4(src = 192.168.1.1, dst = 10.1.2.3, ttl = 63) /
        udp(dport = 53)
  packet ipv4(src = 192.168.1.1, dst = 10.1.2.3, ttl = 1) / udp(dport = 53) => pass
  packet ipv4(src = 192.168.1.1, dst = 10.2.0.1) / tcp(dport = 80) => pass
  packet eth() / ipv6(dst = 2001:db8::1) / udp() => pass
  expect routes.get(10.1.99.99) == 4
  expect next_hops.get(4).ifindex == 3
  expect forwarded == 1 && ttl_expired == 1 && no_route == 1
}
