// expect NF3021 at 7:27
nf bad on xdp
counter dropped
on packet { pass }

test "t" {
  packet ipv4() / tcp() / ipv4() => pass
}
