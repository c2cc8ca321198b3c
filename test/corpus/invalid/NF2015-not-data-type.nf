// expect NF2015 at 3:11
nf bad on xdp
config c: bytes[4] = 1
on packet { pass }
