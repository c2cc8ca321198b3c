// expect NF1008 at 3:25
nf bad on xdp
const A: ip4 = 10.0.0.0/33
on packet { pass }
