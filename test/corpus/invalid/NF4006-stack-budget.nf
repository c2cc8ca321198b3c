// expect NF4006 at 36:7
nf bad on xdp
on packet {
  let ip = ipv4 else { pass }
  let v0: u64 = 0
  let v1: u64 = 1
  let v2: u64 = 2
  let v3: u64 = 3
  let v4: u64 = 4
  let v5: u64 = 5
  let v6: u64 = 6
  let v7: u64 = 7
  let v8: u64 = 8
  let v9: u64 = 9
  let v10: u64 = 10
  let v11: u64 = 11
  let v12: u64 = 12
  let v13: u64 = 13
  let v14: u64 = 14
  let v15: u64 = 15
  let v16: u64 = 16
  let v17: u64 = 17
  let v18: u64 = 18
  let v19: u64 = 19
  let v20: u64 = 20
  let v21: u64 = 21
  let v22: u64 = 22
  let v23: u64 = 23
  let v24: u64 = 24
  let v25: u64 = 25
  let v26: u64 = 26
  let v27: u64 = 27
  let v28: u64 = 28
  let v29: u64 = 29
  let v30: u64 = 30
  let v31: u64 = 0
  pass
}
