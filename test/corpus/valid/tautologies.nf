// Comparisons whose truth the compared value's type decides, which clang rejects under -Werror
// (-Wtautological-overlap-compare and friends) unless nfc folds them: type-range tests, overlapping
// `||` ranges, contradictory `&&`, a `match` range reaching past a u8's 255, constants on the left.
nf tautologies on xdp

counter never, always, overlap, ranged, mixed

on packet {
  let ip = ipv4 else { pass }
  let t = ip.ttl
  let n = pkt_len()
  let w = ip.len
  let big = now_ns()
  if t < 0 || 0 > n || big < 0 { never += 1 }
  if t >= 0 && n >= 0 && t <= 255 && w <= 65535 && big <= 18446744073709551615 { always += 1 }
  if n > 5 || n < 10 { overlap += 1 }
  if n == 1 && n == 2 { never += 1 }
  if n < 3 && n > 7 { never += 1 }
  if w <= 65535 || w >= 0 { overlap += 1 }
  if (t as u32) < 256 && (w as u64) <= 65535 { always += 1 }
  if n >= 100 || n < 200 { overlap += 1 }
  match t {
    0..256 => { ranged += 1 }
    _ => { never += 1 }
  }
  match t {
    200..256 => { ranged += 1 }
    0 => { mixed += 1 }
    _ => {}
  }
  match w {
    0..65536 => { ranged += 1 }
  }
  if t > 64 && t > 100 { mixed += 1 }
  if n != 3 || n != 4 {
    if t == 1 || t != 2 { drop }
    tx
  }
  pass
}
