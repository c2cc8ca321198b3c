// expect NF1023 at 5:59
// Brackets nest at most 32 levels (parentheses, brackets and braces together).
nf deep on xdp
on packet {
  let x: u32 = pkt_len() + (((((((((((((((((((((((((((((((((1)))))))))))))))))))))))))))))))))
  if x == 0 { drop }
  pass
}
