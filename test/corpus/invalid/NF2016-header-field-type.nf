// expect NF2016 at 3:17
nf bad on xdp
header vx { ok: bool }
on packet { pass }
