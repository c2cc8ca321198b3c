// expect NF2020 at 3:14
nf bad on xdp
table r: lpm<u32, u32>(capacity = 1024)
on packet { pass }
