// expect NF1007 at 3:16
nf bad on xdp
const A: ip6 = 2001:db8:::1
on packet { pass }
