// expect NF1014 at 3:1
nf bad on xdp
let x = 1
on packet { pass }
