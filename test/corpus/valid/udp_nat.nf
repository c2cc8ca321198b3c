// Rewrites the destination of DNS packets for one service address and bounces them back (XDP_TX):
// exercises IPv4 address and UDP port writes with incremental checksum updates.
nf udp_nat on xdp

config new_port: u16 = 5353
const SERVICE: ip4 = 10.0.0.53

on packet {
  let ip = ipv4 else { pass }
  let u = udp else { pass }
  if ip.dst != SERVICE || u.dport != 53 {
    pass
  }
  ip.dst = 10.0.0.54
  u.dport = new_port
  ip.ttl -= 1
  tx
}
