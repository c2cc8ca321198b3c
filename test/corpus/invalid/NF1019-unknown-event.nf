// expect NF1019 at 3:4
nf bad on xdp
on timer { pass }
