// expect NF3023 at 8:10
nf bad on xdp
counter dropped
on packet { pass }

test "t" {
  packet udp() => pass
  expect pkt_len() > 0
}
