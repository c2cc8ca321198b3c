// expect NF4004 at 3:36
nf bad on xdp
table t: hash<ip4, u64>(capacity = 0)
on packet { pass }
