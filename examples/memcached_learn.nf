// The egress half of examples/memcached_cache.nf: learns GET replies as memcached sends them.
// A reply is learned when it is one datagram of exactly `VALUE <key> <flags> <bytes>\r\n<data>
// \r\nEND\r\n` (no cas: a `gets` reply differs from what a `get` needs), the key at most 32
// bytes, the whole body at most 192, and the ticket the request left in `pending` matches it
// (same request id and client port): a write of the key since then removed the ticket, so a
// reply the server computed before the write is never learned. Shares `cache`, `pending` and
// `epoch` with memcached_cache.nf (`shared`: one map each, pinned once, layouts checked at load).
nf memcached_learn on tc egress

const PORT: u16 = 11211
const KEY_MAX: u32 = 32
const BODY_MAX: u32 = 192

type mkey { len: u8, b: bytes[32] }
type mval { len: u16, epoch: u32, b: bytes[192] }
type ticket { id: u16, port: u16, epoch: u32 }

table cache: lru<mkey, mval>(capacity = 4096, shared)
table pending: lru<mkey, ticket>(capacity = 4096, shared)
table epoch: array<u32, u32>(capacity = 1, shared)
counter learned, skipped

on packet {
  let ip = ipv4 else { pass }
  let u = udp else { pass }
  if u.sport != PORT { pass }
  if payload.u16(2) != 0 || payload.u16(4) != 1 || !payload.starts_with("VALUE ", 8) { pass }
  let body = payload.len() - 8
  if body > BODY_MAX || !payload.starts_with("\r\nEND\r\n", payload.len() - 7) { skipped += 1; pass }
  // VALUE <key> <flags> <bytes>\r\n: three spaces, then the CR
  let ke = payload.find(32, 14, 34)
  if ke == 0xffff_ffff || ke == 14 || ke - 14 > KEY_MAX { skipped += 1; pass }
  let fe = payload.find(32, ke + 1, 12)
  if fe == 0xffff_ffff { skipped += 1; pass }
  let cr = payload.find(13, fe + 1, 12)
  if cr == 0xffff_ffff || payload.find(32, fe + 1, 12) < cr { skipped += 1; pass }
  // <bytes> must be exactly the data between the header line and "\r\nEND\r\n" (one VALUE only)
  var n: u32 = 0
  for i in 0..10 {
    if fe + 1 + i >= cr { break }
    let c = payload.u8(fe + 1 + i)
    if c < 48 || c > 57 { skipped += 1; pass }
    n = n * 10 + (c - 48) as u32
  }
  if cr + 2 + n + 7 != payload.len() { skipped += 1; pass }
  let k = mkey { len: (ke - 14) as u8, b: payload.slice(14, ke - 14) }
  let t = pending.get(k) else { skipped += 1; pass }
  if t.id != payload.u16(0) || t.port != u.dport { skipped += 1; pass }
  var now: u32 = 0
  if let g = epoch.get(0) { now = g }
  if t.epoch != now { skipped += 1; pass }
  pending.remove(k)
  cache.insert(k, mval { len: body as u16, epoch: now, b: payload.slice(8, body) })
  learned += 1
  pass
}

test "a reply whose ticket is pending is learned byte for byte" {
  entry pending[mkey { len: 3, b: "foo" }] = ticket { id: 7, port: 40000, epoch: 0 }
  packet udp(src = 198.18.98.1, dst = 198.18.98.2, sport = 11211, dport = 40000) /
    text("\x00\x07\x00\x00\x00\x01\x00\x00VALUE foo 5 3\r\nbar\r\nEND\r\n")
    => pass
  expect learned == 1
  expect cache.get(mkey { len: 3, b: "foo" }).len == 25
  expect cache.get(mkey { len: 3, b: "foo" }).b == "VALUE foo 5 3\r\nbar\r\nEND\r\n"
  expect !pending.contains(mkey { len: 3, b: "foo" })
}

test "no ticket, another request id, cas, two values or a short body: not learned" {
  entry pending[mkey { len: 3, b: "foo" }] = ticket { id: 7, port: 40000, epoch: 0 }
  packet udp(src = 198.18.98.1, dst = 198.18.98.2, sport = 11211, dport = 40000) /
    text("\x00\x09\x00\x00\x00\x01\x00\x00VALUE foo 0 3\r\nbar\r\nEND\r\n")
    => pass
  packet udp(src = 198.18.98.1, dst = 198.18.98.2, sport = 11211, dport = 40000) /
    text("\x00\x07\x00\x00\x00\x01\x00\x00VALUE bar 0 3\r\nbar\r\nEND\r\n")
    => pass
  packet udp(src = 198.18.98.1, dst = 198.18.98.2, sport = 11211, dport = 40000) /
    text("\x00\x07\x00\x00\x00\x01\x00\x00VALUE foo 0 3 99\r\nbar\r\nEND\r\n")
    => pass
  packet udp(src = 198.18.98.1, dst = 198.18.98.2, sport = 11211, dport = 40000) /
    text("\x00\x07\x00\x00\x00\x01\x00\x00VALUE foo 0 1\r\nb\r\nVALUE fo 0 1\r\nb\r\nEND\r\n")
    => pass
  packet udp(src = 198.18.98.1, dst = 198.18.98.2, sport = 11211, dport = 40000) /
    text("\x00\x07\x00\x00\x00\x01\x00\x00VALUE foo 0 4\r\nbar\r\nEND\r\n")
    => pass
  expect learned == 0
  expect skipped == 5
  expect !cache.contains(mkey { len: 3, b: "foo" })
}
