// expect NF3070 at 3:50
nf bad on xdp
sketch seen: bloom<ip4>(bits = 1024, hashes = 3, export)
on packet { pass }
