// Benchmark floor: the empty nf program (its handler only passes).
nf empty on xdp

on packet {
  pass
}
