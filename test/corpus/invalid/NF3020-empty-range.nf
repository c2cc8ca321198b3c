// expect NF3020 at 6:5
nf bad on xdp
on packet {
  let ip = ipv4 else { pass }
  match ip.ttl {
    10..10 => { drop }
    _ => { pass }
  }
}
