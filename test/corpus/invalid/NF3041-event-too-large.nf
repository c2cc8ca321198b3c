// expect NF3041 at 3:7
nf bad on xdp
event sample { data: bytes[1024] }
on packet { pass }
