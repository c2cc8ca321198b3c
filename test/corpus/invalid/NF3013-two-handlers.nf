// expect NF3013 at 4:4
nf bad on xdp
on packet { pass }
on packet { drop }
