// expect NF2013 at 4:17
nf bad on xdp
const B: u32 = 2
config c: u32 = B * 2
on packet { pass }
