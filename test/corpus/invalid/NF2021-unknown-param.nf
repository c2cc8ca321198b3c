// expect NF2021 at 3:25
nf bad on xdp
table t: hash<ip4, u64>(size = 64)
on packet { pass }
