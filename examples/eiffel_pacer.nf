// eiffel_pacer: receiver-driven grant scheduling (as in Homa/pHost) with Eiffel's integer
// priority queue. Senders announce a message with a REQUEST (UDP to port 4000); its DSCP carries
// the size class of the bytes still to send (0 = almost done). The receiver keeps one entry per
// request in `waiting`, ranked by that class, so the sender with the least left is granted first
// (shortest remaining first), FIFO among equal classes. Every GRANT tick (UDP to port 443,
// e.g. from the NIC's pacing timer) pops the most urgent requester and turns the tick into a
// grant addressed to it (destination rewritten, sent back out with tx). The queue holds only
// metadata (the requester's address), never packets.
// Requests that find `waiting` full go to the `overflow` FIFO and are granted, oldest first,
// only when `waiting` is empty; when both are full the request is dropped (the sender retries).
nf eiffel_pacer on xdp

queue waiting: pq<ip4>(priorities = 64, capacity = 4) // rank = DSCP size class 0..63
queue overflow: fifo<ip4>(capacity = 2)
counter queued, spilled, refused, granted, idle

on packet {
  let ip = ipv4 else { pass }
  let u = udp else { pass }
  if u.dport == 1234 { // REQUEST
    if waiting.push((ip.tos >> 2) as u32, ip.src) {
      queued += 1
      drop // absorbed: the request is now waiting
    }
    if overflow.push(ip.src) {
      spilled += 1
      drop
    }
    refused += 1
    pass // both full: leave it to the stack (it answers busy)
  }
  if u.dport == 443 { // GRANT tick
    if let next = waiting.pop_min() {
      ip.dst = next
      granted += 1
      tx
    }
    if let late = overflow.pop() {
      ip.dst = late
      granted += 1
      tx
    }
    idle += 1
    drop // nobody waiting: the tick is spent
  }
  pass
}

test "lowest class first, FIFO within a class" {
  packet ipv4(src = 10.0.0.1, tos = 0x28) / udp(dport = 1234) => drop // class 10
  packet ipv4(src = 10.0.0.2, tos = 0x08) / udp(dport = 1234) => drop // class 2
  packet ipv4(src = 10.0.0.3, tos = 0x28) / udp(dport = 1234) => drop // class 10, after .1
  packet ipv4(src = 10.0.0.4, tos = 0x08) / udp(dport = 1234) => drop // class 2, after .2
  packet ipv4(src = 10.9.0.1, dst = 10.9.0.9) / udp(dport = 443)
    => tx as
      ipv4(src = 10.9.0.1, dst = 10.0.0.2) / udp(dport = 443)
  packet ipv4(src = 10.9.0.1, dst = 10.9.0.9) / udp(dport = 443)
    => tx as
      ipv4(src = 10.9.0.1, dst = 10.0.0.4) / udp(dport = 443)
  packet ipv4(src = 10.9.0.1, dst = 10.9.0.9) / udp(dport = 443)
    => tx as
      ipv4(src = 10.9.0.1, dst = 10.0.0.1) / udp(dport = 443)
  packet ipv4(src = 10.9.0.1, dst = 10.9.0.9) / udp(dport = 443)
    => tx as
      ipv4(src = 10.9.0.1, dst = 10.0.0.3) / udp(dport = 443)
  expect queued == 4 && granted == 4 && idle == 0
}

test "a full queue spills to the FIFO, then refuses" {
  repeat 4 { packet ipv4(src = 10.0.0.1, tos = 0xfc) / udp(dport = 1234) => drop } // class 63
  packet ipv4(src = 10.0.1.1, tos = 0x00) / udp(dport = 1234) => drop // waiting full: spilled
  packet ipv4(src = 10.0.1.2, tos = 0x00) / udp(dport = 1234) => drop // spilled
  packet ipv4(src = 10.0.1.3, tos = 0x00) / udp(dport = 1234) => pass // both full: refused
  expect queued == 4 && spilled == 2 && refused == 1
  repeat 4 { packet udp(dport = 443) => tx } // drains waiting
  packet ipv4(dst = 10.9.9.9) / udp(dport = 443) => tx as ipv4(dst = 10.0.1.1) / udp(dport = 443) // then the FIFO, oldest first
  packet ipv4(dst = 10.9.9.9) / udp(dport = 443) => tx as ipv4(dst = 10.0.1.2) / udp(dport = 443)
  packet udp(dport = 443) => drop // both empty
  expect granted == 6 && idle == 1
}

test "empty queues: ticks are spent, other traffic passes" {
  packet udp(dport = 443) => drop
  packet udp(dport = 443) => drop
  packet udp(dport = 53) => pass
  packet eth() / ipv6() / udp(dport = 1234) => pass
  packet ipv4(src = 10.0.0.5, tos = 0x04) / udp(dport = 1234) => drop
  packet udp(dport = 443) => tx
  expect idle == 2 && granted == 1 && queued == 1
}
