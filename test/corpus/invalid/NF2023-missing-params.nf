// expect NF2023 at 3:8
nf bad on xdp
sketch s: count_min<flow5>(rows = 4)
on packet { pass }
