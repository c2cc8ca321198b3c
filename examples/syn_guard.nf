// syn_guard: a SYN-flood guard. Sources seen acknowledging (a bare ACK, as at the end of a
// handshake) are remembered in a bloom filter and always pass. Other sources may send at most
// `syn_limit` SYNs, counted per source in an LRU table; further SYNs from them are dropped.
nf syn_guard on xdp

config syn_limit: u32 = 64

const SYN: u8 = 0x02
const ACK: u8 = 0x10

sketch verified:  bloom<ip4>(bits = 1048576, hashes = 4)
table  syn_count: lru<ip4, u32>(capacity = 65536)
counter syn_dropped, syn_passed, verified_syns

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
        syn_dropped += 1
        drop
      }
      syn_passed += 1
      pass
    }
    _ => { pass }
  }
}
