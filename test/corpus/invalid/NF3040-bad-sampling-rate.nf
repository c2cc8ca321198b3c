// expect NF3040 at 6:39
nf bad on xdp
event blocked { src: ip4 }
on packet {
  let ip = ipv4 else { pass }
  emit blocked { src = ip.src } every 0
  pass
}
