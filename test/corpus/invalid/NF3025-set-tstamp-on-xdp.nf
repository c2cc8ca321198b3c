// expect NF3025 at 6:3
nf pace on xdp
config delay_ns: u64 = 1000

on packet {
  set_tstamp(now_ns() + delay_ns)
  pass
}
