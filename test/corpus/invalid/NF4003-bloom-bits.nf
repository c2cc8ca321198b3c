// expect NF4003 at 3:29
nf bad on xdp
sketch s: bloom<ip4>(bits = 1000000, hashes = 3)
on packet { pass }
