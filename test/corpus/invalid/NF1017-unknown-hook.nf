// expect NF1017 at 2:11
nf bad on socket
on packet { pass }
