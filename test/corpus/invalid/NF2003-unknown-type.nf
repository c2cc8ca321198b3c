// expect NF2003 at 3:11
nf bad on xdp
config c: u23 = 5
on packet { pass }
