// expect NF3024 at 7:10
nf bad on xdp
counter dropped
on packet { pass }

test "t" {
  repeat 0 { packet udp() }
}
