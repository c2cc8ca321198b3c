// expect NF2025 at 3:52
nf bad on xdp
sketch s: count_min<flow5>(rows = 4, width = 1024, epsilon = 0.01, delta = 0.01)
on packet { pass }
