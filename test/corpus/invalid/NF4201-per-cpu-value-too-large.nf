// expect NF4201 at 4:7
// A per-CPU table's value is at most 32 KiB (PCPU_MIN_UNIT_SIZE).
nf v on xdp
table big: hash<u32, bytes[40000]>(capacity = 4, per_cpu)
on packet {
  pass
}
