// expect NF4005 at 3:8
nf bad on xdp
sketch s: count_min<flow5>(rows = 16, width = 16777216)
on packet { pass }
