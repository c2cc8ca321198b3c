// cardinality: count the distinct IPv4 sources talking to each destination with one HyperLogLog
// per destination group (hll groups: the group is the destination address, masked to 1024 groups,
// so destinations sharing their low 10 bits share a counter), and drop traffic to any destination
// whose distinct-source estimate exceeds `max_sources`: a scan / DDoS detector that costs 1 KiB
// per group and O(1) per packet. With precision 10 the estimate's standard error is 3.25%
// (1.04/sqrt(1024)), and below 2560 sources linear counting is tighter (docs/blocks/hll.md).
// The control plane reads map `sources` (per group: nonzero, deficit, registers) and may zero a
// group to forgive a destination.
nf cardinality on xdp

config max_sources: u32 = 5000              // distinct sources per destination; change at load time

sketch sources: hll<ip4>(precision = 10, groups = 1024)
counter flagged, passed

on packet {
  let ip = ipv4 else { pass }               // not IPv4: not ours
  let group = ip.dst as u32                 // masked to 1024 groups by the structure
  sources.add(ip.src, group)
  if sources.estimate(group) > max_sources {
    flagged += 1
    drop
  }
  passed += 1
  pass
}

test "repeated packets from one source count once" {
  repeat 50 { packet udp(src = 10.0.0.1, dst = 10.9.9.9, sport = 1234, dport = 80) => pass }
  packet ipv4(src = 10.0.0.1, dst = 10.9.9.9) / tcp(dport = 22) => pass
  expect sources.estimate(0x0a090909) == 1        // group of 10.9.9.9 (as u32)
  expect sources.estimate(0x0a09090a) == 0        // another destination's group is empty
  expect passed == 51 && flagged == 0
}

test "200 distinct sources: estimated within 7% (3 standard errors); over the limit drops" {
  config max_sources = 100
  // two rounds of the same 200 sources 10.1.0.1 .. 10.1.0.200 to 10.9.9.9
  repeat 2 {
    packet udp(src = 10.1.0.1, dst = 10.9.9.9); packet udp(src = 10.1.0.2, dst = 10.9.9.9); packet udp(src = 10.1.0.3, dst = 10.9.9.9); packet udp(src = 10.1.0.4, dst = 10.9.9.9)
    packet udp(src = 10.1.0.5, dst = 10.9.9.9); packet udp(src = 10.1.0.6, dst = 10.9.9.9); packet udp(src = 10.1.0.7, dst = 10.9.9.9); packet udp(src = 10.1.0.8, dst = 10.9.9.9)
    packet udp(src = 10.1.0.9, dst = 10.9.9.9); packet udp(src = 10.1.0.10, dst = 10.9.9.9); packet udp(src = 10.1.0.11, dst = 10.9.9.9); packet udp(src = 10.1.0.12, dst = 10.9.9.9)
    packet udp(src = 10.1.0.13, dst = 10.9.9.9); packet udp(src = 10.1.0.14, dst = 10.9.9.9); packet udp(src = 10.1.0.15, dst = 10.9.9.9); packet udp(src = 10.1.0.16, dst = 10.9.9.9)
    packet udp(src = 10.1.0.17, dst = 10.9.9.9); packet udp(src = 10.1.0.18, dst = 10.9.9.9); packet udp(src = 10.1.0.19, dst = 10.9.9.9); packet udp(src = 10.1.0.20, dst = 10.9.9.9)
    packet udp(src = 10.1.0.21, dst = 10.9.9.9); packet udp(src = 10.1.0.22, dst = 10.9.9.9); packet udp(src = 10.1.0.23, dst = 10.9.9.9); packet udp(src = 10.1.0.24, dst = 10.9.9.9)
    packet udp(src = 10.1.0.25, dst = 10.9.9.9); packet udp(src = 10.1.0.26, dst = 10.9.9.9); packet udp(src = 10.1.0.27, dst = 10.9.9.9); packet udp(src = 10.1.0.28, dst = 10.9.9.9)
    packet udp(src = 10.1.0.29, dst = 10.9.9.9); packet udp(src = 10.1.0.30, dst = 10.9.9.9); packet udp(src = 10.1.0.31, dst = 10.9.9.9); packet udp(src = 10.1.0.32, dst = 10.9.9.9)
    packet udp(src = 10.1.0.33, dst = 10.9.9.9); packet udp(src = 10.1.0.34, dst = 10.9.9.9); packet udp(src = 10.1.0.35, dst = 10.9.9.9); packet udp(src = 10.1.0.36, dst = 10.9.9.9)
    packet udp(src = 10.1.0.37, dst = 10.9.9.9); packet udp(src = 10.1.0.38, dst = 10.9.9.9); packet udp(src = 10.1.0.39, dst = 10.9.9.9); packet udp(src = 10.1.0.40, dst = 10.9.9.9)
    packet udp(src = 10.1.0.41, dst = 10.9.9.9); packet udp(src = 10.1.0.42, dst = 10.9.9.9); packet udp(src = 10.1.0.43, dst = 10.9.9.9); packet udp(src = 10.1.0.44, dst = 10.9.9.9)
    packet udp(src = 10.1.0.45, dst = 10.9.9.9); packet udp(src = 10.1.0.46, dst = 10.9.9.9); packet udp(src = 10.1.0.47, dst = 10.9.9.9); packet udp(src = 10.1.0.48, dst = 10.9.9.9)
    packet udp(src = 10.1.0.49, dst = 10.9.9.9); packet udp(src = 10.1.0.50, dst = 10.9.9.9); packet udp(src = 10.1.0.51, dst = 10.9.9.9); packet udp(src = 10.1.0.52, dst = 10.9.9.9)
    packet udp(src = 10.1.0.53, dst = 10.9.9.9); packet udp(src = 10.1.0.54, dst = 10.9.9.9); packet udp(src = 10.1.0.55, dst = 10.9.9.9); packet udp(src = 10.1.0.56, dst = 10.9.9.9)
    packet udp(src = 10.1.0.57, dst = 10.9.9.9); packet udp(src = 10.1.0.58, dst = 10.9.9.9); packet udp(src = 10.1.0.59, dst = 10.9.9.9); packet udp(src = 10.1.0.60, dst = 10.9.9.9)
    packet udp(src = 10.1.0.61, dst = 10.9.9.9); packet udp(src = 10.1.0.62, dst = 10.9.9.9); packet udp(src = 10.1.0.63, dst = 10.9.9.9); packet udp(src = 10.1.0.64, dst = 10.9.9.9)
    packet udp(src = 10.1.0.65, dst = 10.9.9.9); packet udp(src = 10.1.0.66, dst = 10.9.9.9); packet udp(src = 10.1.0.67, dst = 10.9.9.9); packet udp(src = 10.1.0.68, dst = 10.9.9.9)
    packet udp(src = 10.1.0.69, dst = 10.9.9.9); packet udp(src = 10.1.0.70, dst = 10.9.9.9); packet udp(src = 10.1.0.71, dst = 10.9.9.9); packet udp(src = 10.1.0.72, dst = 10.9.9.9)
    packet udp(src = 10.1.0.73, dst = 10.9.9.9); packet udp(src = 10.1.0.74, dst = 10.9.9.9); packet udp(src = 10.1.0.75, dst = 10.9.9.9); packet udp(src = 10.1.0.76, dst = 10.9.9.9)
    packet udp(src = 10.1.0.77, dst = 10.9.9.9); packet udp(src = 10.1.0.78, dst = 10.9.9.9); packet udp(src = 10.1.0.79, dst = 10.9.9.9); packet udp(src = 10.1.0.80, dst = 10.9.9.9)
    packet udp(src = 10.1.0.81, dst = 10.9.9.9); packet udp(src = 10.1.0.82, dst = 10.9.9.9); packet udp(src = 10.1.0.83, dst = 10.9.9.9); packet udp(src = 10.1.0.84, dst = 10.9.9.9)
    packet udp(src = 10.1.0.85, dst = 10.9.9.9); packet udp(src = 10.1.0.86, dst = 10.9.9.9); packet udp(src = 10.1.0.87, dst = 10.9.9.9); packet udp(src = 10.1.0.88, dst = 10.9.9.9)
    packet udp(src = 10.1.0.89, dst = 10.9.9.9); packet udp(src = 10.1.0.90, dst = 10.9.9.9); packet udp(src = 10.1.0.91, dst = 10.9.9.9); packet udp(src = 10.1.0.92, dst = 10.9.9.9)
    packet udp(src = 10.1.0.93, dst = 10.9.9.9); packet udp(src = 10.1.0.94, dst = 10.9.9.9); packet udp(src = 10.1.0.95, dst = 10.9.9.9); packet udp(src = 10.1.0.96, dst = 10.9.9.9)
    packet udp(src = 10.1.0.97, dst = 10.9.9.9); packet udp(src = 10.1.0.98, dst = 10.9.9.9); packet udp(src = 10.1.0.99, dst = 10.9.9.9); packet udp(src = 10.1.0.100, dst = 10.9.9.9)
    packet udp(src = 10.1.0.101, dst = 10.9.9.9); packet udp(src = 10.1.0.102, dst = 10.9.9.9); packet udp(src = 10.1.0.103, dst = 10.9.9.9); packet udp(src = 10.1.0.104, dst = 10.9.9.9)
    packet udp(src = 10.1.0.105, dst = 10.9.9.9); packet udp(src = 10.1.0.106, dst = 10.9.9.9); packet udp(src = 10.1.0.107, dst = 10.9.9.9); packet udp(src = 10.1.0.108, dst = 10.9.9.9)
    packet udp(src = 10.1.0.109, dst = 10.9.9.9); packet udp(src = 10.1.0.110, dst = 10.9.9.9); packet udp(src = 10.1.0.111, dst = 10.9.9.9); packet udp(src = 10.1.0.112, dst = 10.9.9.9)
    packet udp(src = 10.1.0.113, dst = 10.9.9.9); packet udp(src = 10.1.0.114, dst = 10.9.9.9); packet udp(src = 10.1.0.115, dst = 10.9.9.9); packet udp(src = 10.1.0.116, dst = 10.9.9.9)
    packet udp(src = 10.1.0.117, dst = 10.9.9.9); packet udp(src = 10.1.0.118, dst = 10.9.9.9); packet udp(src = 10.1.0.119, dst = 10.9.9.9); packet udp(src = 10.1.0.120, dst = 10.9.9.9)
    packet udp(src = 10.1.0.121, dst = 10.9.9.9); packet udp(src = 10.1.0.122, dst = 10.9.9.9); packet udp(src = 10.1.0.123, dst = 10.9.9.9); packet udp(src = 10.1.0.124, dst = 10.9.9.9)
    packet udp(src = 10.1.0.125, dst = 10.9.9.9); packet udp(src = 10.1.0.126, dst = 10.9.9.9); packet udp(src = 10.1.0.127, dst = 10.9.9.9); packet udp(src = 10.1.0.128, dst = 10.9.9.9)
    packet udp(src = 10.1.0.129, dst = 10.9.9.9); packet udp(src = 10.1.0.130, dst = 10.9.9.9); packet udp(src = 10.1.0.131, dst = 10.9.9.9); packet udp(src = 10.1.0.132, dst = 10.9.9.9)
    packet udp(src = 10.1.0.133, dst = 10.9.9.9); packet udp(src = 10.1.0.134, dst = 10.9.9.9); packet udp(src = 10.1.0.135, dst = 10.9.9.9); packet udp(src = 10.1.0.136, dst = 10.9.9.9)
    packet udp(src = 10.1.0.137, dst = 10.9.9.9); packet udp(src = 10.1.0.138, dst = 10.9.9.9); packet udp(src = 10.1.0.139, dst = 10.9.9.9); packet udp(src = 10.1.0.140, dst = 10.9.9.9)
    packet udp(src = 10.1.0.141, dst = 10.9.9.9); packet udp(src = 10.1.0.142, dst = 10.9.9.9); packet udp(src = 10.1.0.143, dst = 10.9.9.9); packet udp(src = 10.1.0.144, dst = 10.9.9.9)
    packet udp(src = 10.1.0.145, dst = 10.9.9.9); packet udp(src = 10.1.0.146, dst = 10.9.9.9); packet udp(src = 10.1.0.147, dst = 10.9.9.9); packet udp(src = 10.1.0.148, dst = 10.9.9.9)
    packet udp(src = 10.1.0.149, dst = 10.9.9.9); packet udp(src = 10.1.0.150, dst = 10.9.9.9); packet udp(src = 10.1.0.151, dst = 10.9.9.9); packet udp(src = 10.1.0.152, dst = 10.9.9.9)
    packet udp(src = 10.1.0.153, dst = 10.9.9.9); packet udp(src = 10.1.0.154, dst = 10.9.9.9); packet udp(src = 10.1.0.155, dst = 10.9.9.9); packet udp(src = 10.1.0.156, dst = 10.9.9.9)
    packet udp(src = 10.1.0.157, dst = 10.9.9.9); packet udp(src = 10.1.0.158, dst = 10.9.9.9); packet udp(src = 10.1.0.159, dst = 10.9.9.9); packet udp(src = 10.1.0.160, dst = 10.9.9.9)
    packet udp(src = 10.1.0.161, dst = 10.9.9.9); packet udp(src = 10.1.0.162, dst = 10.9.9.9); packet udp(src = 10.1.0.163, dst = 10.9.9.9); packet udp(src = 10.1.0.164, dst = 10.9.9.9)
    packet udp(src = 10.1.0.165, dst = 10.9.9.9); packet udp(src = 10.1.0.166, dst = 10.9.9.9); packet udp(src = 10.1.0.167, dst = 10.9.9.9); packet udp(src = 10.1.0.168, dst = 10.9.9.9)
    packet udp(src = 10.1.0.169, dst = 10.9.9.9); packet udp(src = 10.1.0.170, dst = 10.9.9.9); packet udp(src = 10.1.0.171, dst = 10.9.9.9); packet udp(src = 10.1.0.172, dst = 10.9.9.9)
    packet udp(src = 10.1.0.173, dst = 10.9.9.9); packet udp(src = 10.1.0.174, dst = 10.9.9.9); packet udp(src = 10.1.0.175, dst = 10.9.9.9); packet udp(src = 10.1.0.176, dst = 10.9.9.9)
    packet udp(src = 10.1.0.177, dst = 10.9.9.9); packet udp(src = 10.1.0.178, dst = 10.9.9.9); packet udp(src = 10.1.0.179, dst = 10.9.9.9); packet udp(src = 10.1.0.180, dst = 10.9.9.9)
    packet udp(src = 10.1.0.181, dst = 10.9.9.9); packet udp(src = 10.1.0.182, dst = 10.9.9.9); packet udp(src = 10.1.0.183, dst = 10.9.9.9); packet udp(src = 10.1.0.184, dst = 10.9.9.9)
    packet udp(src = 10.1.0.185, dst = 10.9.9.9); packet udp(src = 10.1.0.186, dst = 10.9.9.9); packet udp(src = 10.1.0.187, dst = 10.9.9.9); packet udp(src = 10.1.0.188, dst = 10.9.9.9)
    packet udp(src = 10.1.0.189, dst = 10.9.9.9); packet udp(src = 10.1.0.190, dst = 10.9.9.9); packet udp(src = 10.1.0.191, dst = 10.9.9.9); packet udp(src = 10.1.0.192, dst = 10.9.9.9)
    packet udp(src = 10.1.0.193, dst = 10.9.9.9); packet udp(src = 10.1.0.194, dst = 10.9.9.9); packet udp(src = 10.1.0.195, dst = 10.9.9.9); packet udp(src = 10.1.0.196, dst = 10.9.9.9)
    packet udp(src = 10.1.0.197, dst = 10.9.9.9); packet udp(src = 10.1.0.198, dst = 10.9.9.9); packet udp(src = 10.1.0.199, dst = 10.9.9.9); packet udp(src = 10.1.0.200, dst = 10.9.9.9)
  }
  expect sources.estimate(0x0a090909) >= 186 && sources.estimate(0x0a090909) <= 214
  // the first round passes until the estimate crosses 100 (after 100 sources); the second round's
  // sources are all known, so the estimate does not move and every packet is dropped
  expect passed == 100 && flagged == 300
  packet udp(src = 10.1.0.1, dst = 10.9.9.10) => pass          // other destinations are unaffected
  packet udp(src = 10.1.0.250, dst = 10.9.9.9) => drop
}
