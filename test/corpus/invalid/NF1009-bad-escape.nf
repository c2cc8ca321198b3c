// expect NF1009 at 3:18
nf bad on xdp
const A: u32 = "a\q"
on packet { pass }
