// expect NF2024 at 3:40
nf bad on xdp
table t: hash<ip4, u64>(capacity = 64, per_cpu = 1)
on packet { pass }
