// expect NF2040 at 6:8
nf bad on xdp
event blocked { src: ip4 }
on packet {
  let ip = ipv4 else { pass }
  emit block { src = ip.src }
  pass
}
