// expect NF1004 at 3:16
nf bad on xdp
const A: u32 = 0x
on packet { pass }
