// Sketch parameters given as accuracy targets, struct keys and literals, built-in functions.
nf sketches on tc ingress

type pair { addr: ip4, port: u16 }

sketch cms: count_min<pair>(epsilon = 0.001, delta = 0.01, per_cpu)
sketch seen: bloom<flow5>(capacity = 10000, fp = 0.01)
table top: hash<pair, u32>(capacity = 128)

on packet {
  let ip = ipv4 else { pass }
  let k = pair { addr: ip.dst, port: 7 }
  cms.add(k, 2)
  let est = cms.estimate(k)
  let f = flow5()
  if !seen.contains(f) {
    seen.insert(f)
  }
  let h = hash(f)
  top.insert(k, max(est, (h & 0xff) as u32))
  if min(cpu(), 3) == 99 {
    drop
  }
  pass
}
