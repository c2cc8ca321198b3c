// expect NF1016 at 3:1
nf bad on xdp
nf again on xdp
on packet { pass }
