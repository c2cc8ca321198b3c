// expect NF2031 at 3:26
nf bad on xdp
parse ipv4.proto == 6 => tcp
on packet { pass }
