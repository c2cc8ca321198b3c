// expect NF3071 at 3:39
nf bad on xdp
sketch top: topk<ip4>(k = 8, export = 10.0.0.1)
on packet { pass }
