// expect NF3074 at 3:66
nf bad on xdp
sketch hits: count_min<u16>(rows = 4, width = 1024, export = 80, export = 80)
on packet { pass }
