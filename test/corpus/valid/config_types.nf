// A config of every type a config can have (u8..u64 at their extremes, bool, ip4, ip6, mac), each
// used where values go: compared, bound, a map key, a struct field, a sketch key, hashed. The
// tests set every config before load and check that both sides read the new value.
nf config_types on xdp

type rec { m: mac, a6: ip6, a4: ip4, n: u64, flag: bool }

config gw: mac = 02:00:00:00:00:01
config v4: ip4 = 10.0.0.1
config v6: ip6 = 2001:db8::1
config enabled: bool = true
config small: u8 = 255
config mid: u16 = 65535
config word: u32 = 4294967295
config big: u64 = 18446744073709551615

table by_mac: hash<mac, rec>(capacity = 16)
table by_v6: hash<ip6, u64>(capacity = 16)
sketch macs: count_min<mac>(rows = 2, width = 64)
counter hits, misses

on packet {
  let e = eth else { drop }
  let gw_copy = gw
  var r = rec { m: gw, a6: v6, a4: v4, n: big, flag: enabled }
  if e.src == gw_copy || e.dst == gw {
    hits += 1
    by_mac.insert(gw, r)
    macs.add(gw, 1)
  }
  if let ip = ipv4 {
    if ip.src == v4 && enabled { drop }
    if ip.ttl == small || (ip.len as u32) == word || (ip.id as u64) + big == 0 { tx }
  }
  if let ip6 = ipv6 {
    if ip6.dst == v6 { by_v6.add(v6, hash(v6)); drop }
    if (ip6.hop as u16) == mid { tx }
  }
  if macs.estimate(gw) > 3 && hash(gw) != 0 { misses += 1 }
  pass
}

test "defaults" {
  packet eth(src = 02:00:00:00:00:01) / ipv4(src = 10.0.0.1) / udp(dport = 1) => drop
  packet eth(src = 02:00:00:00:00:05) / ipv6(dst = 2001:db8::1) / udp(dport = 1) => drop
  expect by_mac.contains(02:00:00:00:00:01)
  expect by_v6.contains(2001:db8::1)
  expect hits == 1
}

test "every config set before load" {
  config gw = 02:00:00:00:00:09
  config v4 = 10.9.9.9
  config v6 = 2001:db8::9
  config enabled = false
  config small = 7
  config mid = 99
  config word = 0
  config big = 1
  packet eth(src = 02:00:00:00:00:01) / ipv4(src = 10.0.0.1, ttl = 64) / udp(dport = 1) => pass
  packet eth(src = 02:00:00:00:00:09) / ipv4(src = 10.9.9.9, ttl = 64) / udp(dport = 1) => pass
  packet ipv4(src = 10.9.9.8, ttl = 7) / udp(dport = 1) => tx
  packet ipv6(dst = 2001:db8::1) / udp(dport = 1) => pass
  packet ipv6(dst = 2001:db8::9) / udp(dport = 1) => drop
  packet ipv6(dst = 2001:db8::8, hop = 99) / udp(dport = 1) => tx
  expect by_mac.contains(02:00:00:00:00:09)
  expect !by_mac.contains(02:00:00:00:00:01)
  expect by_v6.contains(2001:db8::9)
  expect hits == 1
}
