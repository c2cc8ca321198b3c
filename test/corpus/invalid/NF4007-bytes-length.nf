// expect NF4007 at 3:23
nf bad on xdp
header h { pad: bytes[0] }
on packet { pass }
