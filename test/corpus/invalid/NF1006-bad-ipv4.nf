// expect NF1006 at 3:16
nf bad on xdp
const A: ip4 = 300.1.1.1
on packet { pass }
