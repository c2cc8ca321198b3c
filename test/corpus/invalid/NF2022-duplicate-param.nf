// expect NF2022 at 3:40
nf bad on xdp
table t: hash<ip4, u64>(capacity = 64, capacity = 128)
on packet { pass }
