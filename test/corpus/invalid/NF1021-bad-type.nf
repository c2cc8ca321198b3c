// expect NF1021 at 3:18
nf bad on xdp
header h { rsvd: bytes }
on packet { pass }
