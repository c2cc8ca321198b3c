// expect NF2027 at 3:7
nf bad on xdp
const A: u32 = B + 1
const B: u32 = A
on packet { pass }
