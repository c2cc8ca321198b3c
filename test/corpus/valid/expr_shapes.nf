// Expression shapes the C printer and folding must keep legal: an integer config by address
// (hash(), a table key), nested unary minus (C's `--`), min/max of two identical hashes (one
// temporary after hash-cse: `t > t`).
nf expr_shapes on xdp

config limit: u16 = 5
config gw: mac = 02:00:00:00:00:01
table per_limit: hash<u16, u64>(capacity = 4)
counter hashed, negated, same

on packet {
  let y: u32 = pkt_len()
  let x: u64 = -(-0)
  let z = -(-(y as u64))
  per_limit.add(limit, 1)
  if hash(limit) > 10 && hash(gw) > 3 { hashed += 1 }
  if x + z == (y as u64) { negated += 1 }
  if max(hash(y), hash(y)) == min(hash(y), hash(y)) { same += 1 }
  if max(hash(y), hash(y)) % 3 == 0 { drop }
  pass
}
