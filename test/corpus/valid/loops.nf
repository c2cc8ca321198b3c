// Integer semantics and control flow: wrapping, masked shifts, division by zero, bounded loops,
// break, match with ranges, else-if chains.
nf loops on xdp

const N: u32 = 8
table buckets: array<u32, u64>(capacity = 16)
counter small, medium, other

on packet {
  var acc: u32 = 0
  for i in 0..N {
    acc = acc * 31 + i
    if acc > 1000 {
      break
    }
  }
  var x: u8 = 250
  repeat 10 {
    x += 1
  }
  let s = (acc << 35) >> 3
  let q = acc / (x - 4)
  let r = acc % (x - 4)
  buckets.add((q + r + s) % 16, 1)
  match pkt_len() {
    0..64 => { small += 1 }
    64, 128 => { medium += 1 }
    _ => { other += 1 }
  }
  if x == 4 {
    pass
  } else if x == 5 {
    drop
  } else {
    tx
  }
}
