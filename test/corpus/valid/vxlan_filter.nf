// A user header with a parse extension: VXLAN after UDP port 4789; only allowed VNIs pass.
nf vxlan_filter on xdp

header vxlan { flags: u8, rsvd: bytes[3], vni_word: u32 }
parse udp.dport == 4789 => vxlan

table allowed_vni: hash<u32, u8>(capacity = 1024)
counter foreign

on packet {
  let ip = ipv4 else { pass }
  let v = vxlan else { pass }
  if allowed_vni.contains(v.vni_word >> 8) {
    pass
  }
  foreign += 1
  drop
}
