// expect NF1005 at 3:16
nf bad on xdp
const A: u64 = 18446744073709551616
on packet { pass }
