// expect NF2044 at 3:7
nf bad on xdp
event blocked { src: ip4 }
on packet { pass }
