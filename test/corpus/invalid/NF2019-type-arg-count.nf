// expect NF2019 at 3:10
nf bad on xdp
table t: hash<ip4>(capacity = 64)
on packet { pass }
