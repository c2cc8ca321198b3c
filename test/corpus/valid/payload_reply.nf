// Payload access and reply building (docs/LANGUAGE.md "Payload"): reads past the last header, a
// prefix compare, a bounded scan, a slice as a table key, and a reply written in place: the
// packet shrunk or grown, bytes written, addresses and ports swapped, then `tx`.
nf payload_reply on xdp

const PORT: u16 = 11211

table seen: hash<bytes[16], u32>(capacity = 64)
counter gets, replies, other

on packet {
  let ip = ipv4 else { pass }
  let u = udp else { pass }
  if u.dport != PORT { pass }
  if !payload.starts_with("get ", 8) {
    other += 1
    pass
  }
  let end = payload.find(13, 12, 64)
  if end == 0xffff_ffff { pass }
  let k: bytes[16] = payload.slice(12, end - 12)
  seen.add(k, 1)
  gets += 1
  let id = payload.u16(0)
  if id == 0 || payload.u8(7) != 0 { pass }
  // the reply: the key back after a 4-byte tag, as long as the id says (grow or shrink)
  if !payload.resize(id as u32 + 4) { drop }
  payload.write(0, 0x5645_4c21 as u32)
  payload.write(4, k, end - 12)
  let a = ip.src
  ip.src = ip.dst
  ip.dst = a
  let p = u.sport
  u.sport = u.dport
  u.dport = p
  replies += 1
  tx
}

test "a get is counted by key" {
  packet udp(src = 10.0.0.1, dst = 10.0.0.2, sport = 1000, dport = 11211) /
    hex("0000000000010000676574206b65790d0a")
    => pass
  expect gets == 1
  expect seen.get("key") == 1
  expect replies == 0
}

test "a reply shrinks the packet; a write that does not fit writes nothing" {
  packet udp(src = 10.0.0.1, dst = 10.0.0.2, sport = 1000, dport = 11211) /
    hex("0002000000010000676574206b65790d0a")
    => tx as
      udp(src = 10.0.0.2, dst = 10.0.0.1, sport = 11211, dport = 1000, csum = 0) / hex("56454c210001")
  expect replies == 1
}

test "a reply grows the packet with zeros" {
  packet udp(src = 10.0.0.1, dst = 10.0.0.2, sport = 1000, dport = 11211) /
    hex("0020000000010000676574206b65790d0a")
    => tx as
      udp(src = 10.0.0.2, dst = 10.0.0.1, sport = 11211, dport = 1000, csum = 0) /
        hex("56454c216b657900676574206b65790d0a00000000000000000000000000000000000000")
  expect seen.get("key") == 1
}

test "other payloads pass untouched" {
  packet udp(src = 10.0.0.1, dst = 10.0.0.2, sport = 1000, dport = 11211) / hex("0000000000010000736574206b")
    => pass
  packet udp(src = 10.0.0.1, dst = 10.0.0.2, sport = 1000, dport = 11211) => pass
  expect other == 2
}
