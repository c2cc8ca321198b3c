// syn_guard: a SYN-flood guard. Sources seen acknowledging (a bare ACK, as at the end of a
// handshake) are remembered in a bloom filter and always pass. Other sources may send at most
// `syn_limit` SYNs, counted per source in an LRU table; further SYNs from them are dropped. A
// sample of the drops (1 in 64 per CPU) is reported as `syn_flood` events.
nf syn_guard on xdp

config syn_limit: u32 = 64

const SYN: u8 = 0x02
const ACK: u8 = 0x10

sketch verified: bloom<ip4>(bits = 1048576, hashes = 4)
table syn_count: lru<ip4, u32>(capacity = 65536)
counter syn_dropped, syn_passed, verified_syns

event syn_flood { src: ip4, dport: u16, syns: u32 }

on packet {
  let ip = ipv4 else { pass }
  let t = tcp else { pass }
  match t.flags & (SYN | ACK) {
    ACK => {
      verified.insert(ip.src)
      pass
    }
    SYN => {
      if verified.contains(ip.src) {
        verified_syns += 1
        pass
      }
      syn_count.add(ip.src, 1)
      let n = syn_count.get(ip.src) else { pass }
      if n > syn_limit {
        emit syn_flood { src = ip.src, dport = t.dport, syns = n } every 64
        syn_dropped += 1
        drop
      }
      syn_passed += 1
      pass
    }
    _ => { pass }
  }
}

test "SYNs over the limit are dropped" {
  config syn_limit = 2
  repeat 2 { packet ipv4(src = 10.0.0.1) / tcp(dport = 80, flags = 0x02) => pass }
  packet ipv4(src = 10.0.0.1) / tcp(dport = 80, flags = 0x02) => drop
  packet ipv4(src = 10.0.0.2) / tcp(dport = 80, flags = 0x02) => pass
  packet ipv4(src = 10.0.0.1) / tcp(dport = 80, flags = 0x12) => pass
  expect syn_count.get(10.0.0.1) == 3
  expect event syn_flood { src = 10.0.0.1, dport = 80, syns = 3 }
  expect syn_dropped == 1 && syn_passed == 3
}

test "a source verified by an ACK is never limited" {
  config syn_limit = 1
  packet ipv4(src = 10.0.0.9) / tcp(dport = 80, flags = 0x10) => pass
  repeat 5 { packet ipv4(src = 10.0.0.9) / tcp(dport = 80, flags = 0x02) => pass }
  expect verified.contains(10.0.0.9)
  expect !verified.contains(10.0.0.8)
  expect verified_syns == 5 && syn_dropped == 0
  expect !syn_count.contains(10.0.0.9)
}
