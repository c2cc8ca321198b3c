// expect NF3073 at 3:62
nf bad on xdp
sketch hits: count_min<ip4>(rows = 4, width = 1024, export = 80)
on packet { pass }
