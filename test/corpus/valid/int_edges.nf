// Integer literals at every width boundary (2^8-1, 2^16-1, 2^31, 2^32-1, 2^63, 2^64-1) in every
// context: const, config, arithmetic, compares (both sides), match arms and ranges, table keys and
// struct values, sketch keys, hash(), min/max, casts.
nf int_edges on xdp
const BIG: u64 = 18446744073709551615
const M: u64 = BIG - 1
const N: u64 = 0x8000000000000000
type s { a: u64, b: u32 }
table t: hash<u64, s>(capacity = 4)
sketch c: count_min<u64>(rows = 2, width = 64)
config c64: u64 = 18446744073709551615
config c32: u32 = 4294967295
config c16: u16 = 65535
config c8: u8 = 255
counter a, b
on packet {
  let x = now_ns()
  let w = pkt_len()
  let y = 18446744073709551615
  var z: u64 = ~0
  z = z * 18446744073709551615
  z = z / 9223372036854775808
  z = z % 18446744073709551615
  z = z >> 63
  z = z << 64
  z = 18446744073709551615 - x
  z = (w as u64) + 9223372036854775808
  if (x & 9223372036854775808) != 0 { a += 1 }
  if 18446744073709551615 == x { a += 1 }
  if x == BIG || x == M || x == N { b += 1 }
  if w == 4294967295 || w == 2147483648 || w > 2147483647 { b += 1 }
  if -x == 1 { b += 1 }
  t.insert(18446744073709551615, s { a: 18446744073709551615, b: 4294967295 })
  c.add(18446744073709551615, 4294967295)
  if c.estimate(9223372036854775808) > 4294967294 { a += 1 }
  let h = hash(18446744073709551615)
  if h == y { drop }
  match x {
    18446744073709551615 => { pass }
    _ => {}
  }
  match w {
    4294967295 => { pass }
    2147483648..4294967295 => { drop }
    _ => {}
  }
  if x == c64 ||
    w == c32 ||
    (w as u16) == c16 ||
    (w as u8) == c8 ||
    min(x, 18446744073709551615) == 9223372036854775808 ||
    max(w, 2147483648) == 4294967295 { b += 1 }
  if (x as u16) == 65535 && (x as u8) == 255 { a += 1 }
  if z == 0 { pass }
  pass
}
