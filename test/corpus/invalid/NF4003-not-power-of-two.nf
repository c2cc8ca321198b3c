// expect NF4003 at 3:46
nf bad on xdp
sketch s: count_min<flow5>(rows = 4, width = 1000)
on packet { pass }
