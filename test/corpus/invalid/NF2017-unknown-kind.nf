// expect NF2017 at 3:10
nf bad on xdp
table t: hashmap<ip4, u64>(capacity = 1024)
on packet { pass }
