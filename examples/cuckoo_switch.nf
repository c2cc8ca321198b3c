// cuckoo_switch: the forwarding step of an L2 switch (CuckooSwitch). A blocked cuckoo table maps
// each station's MAC address to the port (ifindex) it sits behind; frames to a known station are
// redirected to that port, frames to unknown ones go up the stack (pass), where the slow path
// floods them and learns.
//
// The table is filled two ways: by the control plane (bpftool / the loader writes buckets; the
// tests use `entry`) and in-band, by management frames of the local experimental ethertype
// 0x88b5 carrying { op, port, mac }: op 1 learns (insert or move a station), op 2 forgets it.
// A learn the table cannot place within max_kicks displacements is refused ("full": the table is
// left exactly as it was) and the frame goes to the slow path, which can evict and retry.
//
// 64 stations is a small edge switch and lets the tests fill the table completely; a rack switch
// would declare capacity = 65536 (same code, 4096 buckets).
nf cuckoo_switch on xdp

header fdb_ctl { op: u8, port: u32, mac: mac }
parse eth.type == 0x88b5 => fdb_ctl

table macs: cuckoo<mac, u32>(capacity = 64, max_kicks = 8)
counter forwarded, unknown, learned, forgotten, full, bad_ctl

on packet {
  let e = eth else { drop } // runt frame
  if let c = fdb_ctl {
    if c.op == 1 {
      if macs.insert(c.mac, c.port) {
        learned += 1
        drop // consumed
      }
      full += 1
      pass // no room: let the slow path decide
    }
    if c.op == 2 {
      if macs.remove(c.mac) { forgotten += 1 }
      drop
    }
    bad_ctl += 1
    drop
  }
  let port = macs.get(e.dst) else {
    unknown += 1
    pass // unknown destination: flood in the slow path
  }
  forwarded += 1
  redirect(port)
}

test "known stations are forwarded to their port, unknown ones go to the slow path" {
  entry macs[02:00:00:00:00:01] = 3
  entry macs[02:00:00:00:00:02] = 7
  packet eth(dst = 02:00:00:00:00:01) / ipv4(src = 10.0.0.2, dst = 10.0.0.1) / udp(dport = 53) => redirect(3)
  packet eth(dst = 02:00:00:00:00:02) / ipv6(src = 2001:db8::1) / tcp(dport = 80) => redirect(7)
  packet eth(dst = 02:00:00:00:00:03) / ipv4() / udp() => pass
  packet eth(dst = ff:ff:ff:ff:ff:ff) / ipv4() / udp() => pass
  expect forwarded == 2 && unknown == 2
  expect macs.contains(02:00:00:00:00:02) && !macs.contains(02:00:00:00:00:03)
}

test "management frames learn, move and forget stations" {
  entry macs[02:00:00:00:00:01] = 3
  // learn 02:00:00:00:00:09 behind port 5
  packet eth(type = 0x88b5) / hex("01 00000005 020000000009") => drop
  packet eth(dst = 02:00:00:00:00:09) / ipv4() / udp() => redirect(5)
  // the station moved to port 6: the same key is overwritten in place
  packet eth(type = 0x88b5) / hex("01 00000006 020000000009") => drop
  packet eth(dst = 02:00:00:00:00:09) / ipv4() / udp() => redirect(6)
  // forget it (twice: the second finds nothing)
  packet eth(type = 0x88b5) / hex("02 00000000 020000000009") => drop
  packet eth(type = 0x88b5) / hex("02 00000000 020000000009") => drop
  packet eth(dst = 02:00:00:00:00:09) / ipv4() / udp() => pass
  packet eth(type = 0x88b5) / hex("07 00000000 020000000009") => drop
  packet eth(type = 0x88b5) / hex("01 0000") => pass // too short for the header: a plain frame
  expect learned == 2 && forgotten == 1 && bad_ctl == 1
  packet eth(dst = 02:00:00:00:00:01) / ipv4() / udp() => redirect(3)
  expect macs.contains(02:00:00:00:00:01) && !macs.contains(02:00:00:00:00:09)
}

test "a full table refuses a new station and stays unchanged" {
  // 64 stations in 64 slots: every lane of the 4 buckets is taken (placing the later ones
  // needed displacements)
  entry macs[02:00:00:5e:00:01] = 11
  entry macs[02:00:00:5e:00:02] = 12
  entry macs[02:00:00:5e:00:03] = 13
  entry macs[02:00:00:5e:00:04] = 10
  entry macs[02:00:00:5e:00:05] = 11
  entry macs[02:00:00:5e:00:06] = 12
  entry macs[02:00:00:5e:00:07] = 13
  entry macs[02:00:00:5e:00:08] = 10
  entry macs[02:00:00:5e:00:09] = 11
  entry macs[02:00:00:5e:00:0a] = 12
  entry macs[02:00:00:5e:00:0b] = 13
  entry macs[02:00:00:5e:00:0c] = 10
  entry macs[02:00:00:5e:00:0d] = 11
  entry macs[02:00:00:5e:00:0e] = 12
  entry macs[02:00:00:5e:00:0f] = 13
  entry macs[02:00:00:5e:00:10] = 10
  entry macs[02:00:00:5e:00:11] = 11
  entry macs[02:00:00:5e:00:12] = 12
  entry macs[02:00:00:5e:00:13] = 13
  entry macs[02:00:00:5e:00:14] = 10
  entry macs[02:00:00:5e:00:15] = 11
  entry macs[02:00:00:5e:00:16] = 12
  entry macs[02:00:00:5e:00:17] = 13
  entry macs[02:00:00:5e:00:18] = 10
  entry macs[02:00:00:5e:00:19] = 11
  entry macs[02:00:00:5e:00:1a] = 12
  entry macs[02:00:00:5e:00:1b] = 13
  entry macs[02:00:00:5e:00:1c] = 10
  entry macs[02:00:00:5e:00:1d] = 11
  entry macs[02:00:00:5e:00:1e] = 12
  entry macs[02:00:00:5e:00:1f] = 13
  entry macs[02:00:00:5e:00:20] = 10
  entry macs[02:00:00:5e:00:21] = 11
  entry macs[02:00:00:5e:00:22] = 12
  entry macs[02:00:00:5e:00:23] = 13
  entry macs[02:00:00:5e:00:24] = 10
  entry macs[02:00:00:5e:00:25] = 11
  entry macs[02:00:00:5e:00:26] = 12
  entry macs[02:00:00:5e:00:27] = 13
  entry macs[02:00:00:5e:00:28] = 10
  entry macs[02:00:00:5e:00:29] = 11
  entry macs[02:00:00:5e:00:2a] = 12
  entry macs[02:00:00:5e:00:2b] = 13
  entry macs[02:00:00:5e:00:2c] = 10
  entry macs[02:00:00:5e:00:2d] = 11
  entry macs[02:00:00:5e:00:2e] = 12
  entry macs[02:00:00:5e:00:2f] = 13
  entry macs[02:00:00:5e:00:30] = 10
  entry macs[02:00:00:5e:00:31] = 11
  entry macs[02:00:00:5e:00:32] = 12
  entry macs[02:00:00:5e:00:33] = 13
  entry macs[02:00:00:5e:00:34] = 10
  entry macs[02:00:00:5e:00:35] = 11
  entry macs[02:00:00:5e:00:36] = 12
  entry macs[02:00:00:5e:00:37] = 13
  entry macs[02:00:00:5e:00:38] = 10
  entry macs[02:00:00:5e:00:39] = 11
  entry macs[02:00:00:5e:00:3a] = 12
  entry macs[02:00:00:5e:00:3b] = 13
  entry macs[02:00:00:5e:00:3c] = 10
  entry macs[02:00:00:5e:00:3d] = 11
  entry macs[02:00:00:5e:00:3e] = 12
  entry macs[02:00:00:5e:00:3f] = 13
  entry macs[02:00:00:5e:00:40] = 10
  packet eth(dst = 02:00:00:5e:00:40) / ipv4() / udp() => redirect(10)
  packet eth(type = 0x88b5) / hex("01 00000009 02000000aaaa") => pass // full
  packet eth(type = 0x88b5) / hex("01 00000009 02000000aaab") => pass // full again
  expect full == 2 && learned == 0 && !macs.contains(02:00:00:00:aa:aa)
  // a station already present can still move; every station is still reachable
  packet eth(type = 0x88b5) / hex("01 00000009 0200005e0001") => drop
  packet eth(dst = 02:00:00:5e:00:01) / ipv4() / udp() => redirect(9)
  packet eth(dst = 02:00:00:5e:00:2a) / ipv4() / udp() => redirect(12)
  // forgetting one frees a lane: the refused station now fits
  packet eth(type = 0x88b5) / hex("02 00000000 0200005e0007") => drop
  packet eth(type = 0x88b5) / hex("01 00000009 02000000aaaa") => drop
  packet eth(dst = 02:00:00:00:aa:aa) / ipv4() / udp() => redirect(9)
  expect full == 2 && learned == 2 && forgotten == 1
}
