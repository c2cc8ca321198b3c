// expect NF3012 at 2:4
nf t on xdp
counter a
