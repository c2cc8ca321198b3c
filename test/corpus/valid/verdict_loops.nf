// Verdicts in every loop position: a loop as the handler's last statement whose body always ends
// in a verdict (clang cannot see that it runs), match arms inside loops, nested loops, a verdict
// after a `break` out of an inner loop, and loops in both branches of the final `if`.
nf verdict_loops on xdp

table seen: hash<u32, u32>(capacity = 64)
counter early, inner, late

on packet {
  let n = pkt_len()
  for i in 0..4 {
    match (n + i) % 7 {
      0 => { early += 1; drop }
      1, 2 => { if i == 3 { tx } }
      _ => {}
    }
    for j in 0..3 {
      if n % 5 == j { break }
      if n % 11 == j + i { inner += 1; pass }
    }
    if n % 13 == i { drop }
  }
  if let ip = ipv4 {
    repeat 3 {
      for k in 1..3 {
        if ip.ttl == k as u8 { late += 1; drop }
        break
      }
      seen.add(n, 1)
      match ip.proto {
        6 => { tx }
        17 => { if n > 100 { drop } else { pass } }
        _ => { pass }
      }
    }
  } else {
    for i in 0..2 {
      if n > 200 + i { drop }
      repeat 1 { pass }
    }
  }
}
