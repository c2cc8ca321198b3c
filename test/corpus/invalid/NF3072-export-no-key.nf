// expect NF3072 at 3:53
nf bad on xdp
sketch hits: count_min<ip4>(rows = 4, width = 1024, export)
on packet { pass }
