// expect NF1003 at 4:9
nf bad on xdp
on packet { pass }
let s = "abc
