// expect NF1015 at 2:1
on packet { pass }
