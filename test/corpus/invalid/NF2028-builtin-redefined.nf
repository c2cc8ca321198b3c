// expect NF2028 at 3:8
nf bad on xdp
header tcp { x: u8 }
on packet { pass }
