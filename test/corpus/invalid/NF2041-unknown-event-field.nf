// expect NF2041 at 6:32
nf bad on xdp
event blocked { src: ip4 }
on packet {
  let ip = ipv4 else { pass }
  emit blocked { src = ip.src, dst = ip.dst }
  pass
}
