// Rewrites the VLAN id of tagged frames from a table; counts double-tagged frames (TC ingress).
nf vlan_retag on tc ingress

table vid_map: array<u32, u16>(capacity = 4096)
counter tagged, double_tagged

on packet {
  let v = vlan else { pass }
  tagged += 1
  if let inner = vlan_inner {
    double_tagged += 1
    inner.tci = inner.tci | 0x1000
  }
  let vid = (v.tci & 0x0fff) as u32
  if let new_vid = vid_map.get(vid) {
    v.tci = (v.tci & 0xf000) | (new_vid & 0x0fff)
  }
  pass
}
