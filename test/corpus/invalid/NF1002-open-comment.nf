// expect NF1002 at 4:1
nf bad on xdp
on packet { pass }
/* never closed
