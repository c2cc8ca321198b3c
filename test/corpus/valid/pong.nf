// An ICMP echo responder: swaps addresses, turns the request into a reply and sends it back.
nf pong on xdp

on packet {
  let e = eth else { pass }
  let ip = ipv4 else { pass }
  let ic = icmp else { pass }
  if ic.type != 8 {
    pass
  }
  let m = e.src
  e.src = e.dst
  e.dst = m
  let a = ip.src
  ip.src = ip.dst
  ip.dst = a
  ic.type = 0
  tx
}
