// expect NF2018 at 3:10
nf bad on xdp
table f: count_min<flow5>(rows = 4, width = 1024)
on packet { pass }
