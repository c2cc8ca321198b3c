// Rewrites IPv4, UDP and TCP fields in place and bounces the packet: every write keeps the
// checksums right incrementally (the UDP length counts twice: header and pseudo-header).
nf l4_rewrite on xdp

on packet {
  let ip = ipv4 else { pass }
  ip.tos = ip.tos ^ 0x04
  ip.id += 1
  if let u = udp {
    u.sport = u.dport
    u.len = u.len ^ 0x0100
    tx
  }
  if let t = tcp {
    t.sport = t.sport + 1
    t.flags = t.flags | 0x08
    t.seq += 1000
    tx
  }
  drop
}
