// expect NF3022 at 7:15
nf bad on xdp
counter dropped
on packet { pass }

test "t" {
  packet ipv4(source = 10.0.0.1) => pass
}
