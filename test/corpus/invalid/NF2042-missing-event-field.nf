// expect NF2042 at 6:8
nf bad on xdp
event blocked { src: ip4, estimate: u32 }
on packet {
  let ip = ipv4 else { pass }
  emit blocked { src = ip.src }
  pass
}
