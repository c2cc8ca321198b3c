// expect NF1010 at 3:9
nf bad on xdp
table t hash<ip4, u64>(capacity = 16)
on packet { pass }
