// expect NF3031 at 6:3
// A test runs at most 100000 statements with its repeats unrolled: nested repeats multiply.
nf t on xdp
on packet { pass }
test "forever" {
  repeat 100000 { repeat 100000 { packet udp() => pass } }
}
