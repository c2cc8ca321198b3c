// An in-kernel memcached cache in the style of BMC (NSDI 2021), in front of a real memcached:
// GET hits over UDP are answered here from `cache` with the reply memcached itself sent earlier
// (byte for byte); misses pass to the server. Values are learned at TC egress by its twin
// examples/memcached_learn.nf from memcached's `VALUE ... END` replies; the two share `cache`,
// `pending` and `epoch` by name (`shared`: pinned once under /sys/fs/bpf/nfc/shared/, loaded
// together by `nfc load`).
//
// UDP requests: an 8-byte frame header (request id, sequence 0, datagrams 1, reserved 0), then
// ASCII. Served here: `get <key>\r\n` with a key of at most 32 bytes, the reply in one datagram.
// Everything else passes. Coherence: any other command naming a key (set, add, replace, append,
// prepend, cas, delete, incr, decr, touch, ...) over UDP or TCP removes that key from the cache
// before the server sees it, and `flush_all` moves the epoch (older entries stop hitting). A miss
// leaves a ticket (request id, client port, epoch) in `pending`; the egress side learns a reply
// only if its ticket is still there, so a reply the server computed before a write cannot be
// learned after it. Remaining staleness window: the cache keeps what it learned while memcached
// restarts empty or evicts/expires a key, until a write of that key (or `flush_all`) comes
// through this interface; TCP writes are seen only when the command starts a segment.
// A reply is longer than its request: the packet grows with bpf_xdp_adjust_tail, which needs
// tailroom; on veth, native XDP frames built from the sender's skb rarely have it (those hits pass
// to the server, counted in `no_room`), so load it there with `--xdp-mode generic`.
nf memcached_cache on xdp

const PORT: u16 = 11211
const KEY_MAX: u32 = 32

type mkey { len: u8, b: bytes[32] }
// the reply body memcached sent: "VALUE <key> <flags> <bytes>\r\n<data>\r\nEND\r\n"
type mval { len: u16, epoch: u32, b: bytes[192] }
type ticket { id: u16, port: u16, epoch: u32 }

table cache: lru<mkey, mval>(capacity = 4096, shared)
table pending: lru<mkey, ticket>(capacity = 4096, shared)
table epoch: array<u32, u32>(capacity = 1, shared)
counter hits, misses, invalidations, flushes, passed, no_room

on packet {
  let e = eth else { pass }
  let ip = ipv4 else { pass }
  if let t = tcp {
    if t.dport != PORT { pass }
    // a command starting this segment; anything but get/gets naming a key invalidates it
    if payload.starts_with("get") || payload.len() == 0 { pass }
    if payload.starts_with("flush_all") {
      epoch.add(0, 1)
      flushes += 1
      pass
    }
    let sp = payload.find(32, 0, 16)
    if sp == 0xffff_ffff { pass }
    let cr = payload.find(13, sp + 1, 34)
    let sp2 = payload.find(32, sp + 1, 34)
    let end = min(cr, sp2)
    if end == 0xffff_ffff || end - sp - 1 > KEY_MAX { pass }
    let k = mkey { len: (end - sp - 1) as u8, b: payload.slice(sp + 1, end - sp - 1) }
    cache.remove(k)
    pending.remove(k)
    invalidations += 1
    pass
  }
  let u = udp else { pass }
  if u.dport != PORT { pass }
  // the frame header: one datagram, sequence 0
  if payload.u16(2) != 0 || payload.u16(4) != 1 { passed += 1; pass }
  if !payload.starts_with("get ", 8) {
    if payload.starts_with("get", 8) { passed += 1; pass } // gets, gat, gats: read-only here
    if payload.starts_with("flush_all", 8) {
      epoch.add(0, 1)
      flushes += 1
      pass
    }
    let sp = payload.find(32, 8, 16)
    if sp == 0xffff_ffff { pass }
    let cr = payload.find(13, sp + 1, 34)
    let sp2 = payload.find(32, sp + 1, 34)
    let end = min(cr, sp2)
    if end == 0xffff_ffff || end - sp - 1 > KEY_MAX { pass }
    let k = mkey { len: (end - sp - 1) as u8, b: payload.slice(sp + 1, end - sp - 1) }
    cache.remove(k)
    pending.remove(k)
    invalidations += 1
    pass
  }
  // get <key>\r\n: one key (no space before the CR), at most KEY_MAX bytes, nothing after
  let cr = payload.find(13, 12, 34)
  if cr == 0xffff_ffff || cr == 12 || cr - 12 > KEY_MAX { passed += 1; pass }
  if payload.find(32, 12, 33) < cr || payload.len() != cr + 2 || payload.u8(cr + 1) != 10 {
    passed += 1
    pass
  }
  let k = mkey { len: (cr - 12) as u8, b: payload.slice(12, cr - 12) }
  var now: u32 = 0
  if let g = epoch.get(0) { now = g }
  if let v = cache.get(k) {
    if v.epoch == now && v.len > 0 {
      // the reply: same request id, sequence 0 of 1 datagram, then the body memcached sent
      if !payload.resize(8 + v.len as u32) { no_room += 1; pass } // no tailroom to grow into: the server answers
      payload.write(2, 1 as u32)
      payload.write(6, 0 as u16)
      payload.write(8, v.b, v.len as u32)
      let m = e.src
      e.src = e.dst
      e.dst = m
      let a = ip.src
      ip.src = ip.dst
      ip.dst = a
      ip.ttl = 64
      let p = u.sport
      u.sport = u.dport
      u.dport = p
      hits += 1
      tx
    }
  }
  pending.insert(k, ticket { id: payload.u16(0), port: u.sport, epoch: now })
  misses += 1
  pass
}

test "a miss passes and leaves a ticket" {
  packet eth(src = 02:00:00:00:00:01, dst = 02:00:00:00:00:02) /
    ipv4(src = 198.18.98.2, dst = 198.18.98.1) /
    udp(sport = 40000, dport = 11211) /
    text("\x00\x07\x00\x00\x00\x01\x00\x00get foo\r\n")
    => pass
  expect misses == 1
  expect pending.get(mkey { len: 3, b: "foo" }).port == 40000
  expect pending.get(mkey { len: 3, b: "foo" }).id == 7
}

test "a hit is answered with memcached's own reply" {
  entry cache[mkey { len: 3, b: "foo" }] = mval { len: 25, epoch: 0, b: "VALUE foo 0 3\r\nbar\r\nEND\r\n" }
  packet eth(src = 02:00:00:00:00:01, dst = 02:00:00:00:00:02) /
    ipv4(src = 198.18.98.2, dst = 198.18.98.1, ttl = 61) /
    udp(sport = 40000, dport = 11211) /
    text("\x00\x07\x00\x00\x00\x01\x00\x00get foo\r\n")
    => tx as
      eth(src = 02:00:00:00:00:02, dst = 02:00:00:00:00:01) /
        ipv4(src = 198.18.98.1, dst = 198.18.98.2, ttl = 64) /
        udp(sport = 11211, dport = 40000, csum = 0) /
        text("\x00\x07\x00\x00\x00\x01\x00\x00VALUE foo 0 3\r\nbar\r\nEND\r\n")
  expect hits == 1
  expect misses == 0
}

test "writes over UDP and TCP invalidate before the server sees them" {
  entry cache[mkey { len: 3, b: "foo" }] = mval { len: 25, epoch: 0, b: "VALUE foo 0 3\r\nbar\r\nEND\r\n" }
  entry cache[mkey { len: 3, b: "baz" }] = mval { len: 25, epoch: 0, b: "VALUE baz 0 3\r\nbar\r\nEND\r\n" }
  packet udp(sport = 40000, dport = 11211) / text("\x00\x08\x00\x00\x00\x01\x00\x00set foo 0 0 3\r\nnew\r\n")
    => pass
  expect !cache.contains(mkey { len: 3, b: "foo" })
  expect cache.contains(mkey { len: 3, b: "baz" })
  packet tcp(sport = 40001, dport = 11211) / text("delete baz\r\n") => pass
  expect !cache.contains(mkey { len: 3, b: "baz" })
  expect invalidations == 2
}

test "flush_all moves the epoch: older entries stop hitting" {
  entry cache[mkey { len: 3, b: "foo" }] = mval { len: 25, epoch: 0, b: "VALUE foo 0 3\r\nbar\r\nEND\r\n" }
  packet tcp(sport = 40001, dport = 11211) / text("flush_all\r\n") => pass
  packet udp(sport = 40000, dport = 11211) / text("\x00\x07\x00\x00\x00\x01\x00\x00get foo\r\n") => pass
  expect flushes == 1
  expect hits == 0
  expect epoch.get(0) == 1
}

test "multi-key gets, long keys, gets and other datagrams pass untouched" {
  entry cache[mkey { len: 3, b: "foo" }] = mval { len: 25, epoch: 0, b: "VALUE foo 0 3\r\nbar\r\nEND\r\n" }
  packet udp(sport = 40000, dport = 11211) / text("\x00\x07\x00\x00\x00\x01\x00\x00get foo bar\r\n") => pass
  packet udp(sport = 40000, dport = 11211) /
    text("\x00\x07\x00\x00\x00\x01\x00\x00get 0123456789abcdef0123456789abcdefX\r\n")
    => pass
  packet udp(sport = 40000, dport = 11211) / text("\x00\x07\x00\x00\x00\x01\x00\x00gets foo\r\n") => pass
  packet udp(sport = 40000, dport = 11211) / text("\x00\x07\x00\x01\x00\x02\x00\x00get foo\r\n") => pass
  expect hits == 0
  expect cache.contains(mkey { len: 3, b: "foo" })
}
