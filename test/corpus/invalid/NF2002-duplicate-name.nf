// expect NF2002 at 4:9
nf bad on xdp
counter a
counter a
on packet { pass }
