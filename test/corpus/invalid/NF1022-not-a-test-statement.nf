// expect NF1022 at 7:3
nf bad on xdp
counter dropped
on packet { pass }

test "t" {
  check dropped == 0
}
