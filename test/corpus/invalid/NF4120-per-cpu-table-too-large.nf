// expect NF4120 at 3:7
nf bad on xdp
table hits: array<u32, u64>(capacity = 16777216, per_cpu)
on packet { pass }
