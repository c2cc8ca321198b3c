// Source-level programs (parser + checker + interpreter) on crafted packets.
import { describe, expect, test } from "vitest";
import { ipv4HeaderCsum, l4Csum } from "../csum.js";
import { checkSource } from "../index.js";
import type { CheckedProgram } from "../checked.js";
import { createInterpreter, type TableHandle } from "./index.js";
import { addr, buildPacket } from "./packet-build.js";
import type { CountMinStore } from "./kinds/count-min.js";

function load(src: string): CheckedProgram {
  const r = checkSource(src, "t.nf");
  const errors = r.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.code} ${d.message}`);
  expect(errors).toEqual([]);
  return r.program!;
}
const META = { cpu: 0, nowNs: 5n, ifindex: 2 };
const le = (b: Uint8Array): bigint => b.reduceRight((a, x) => (a << 8n) | BigInt(x), 0n);
const le32 = (n: number): Uint8Array => Uint8Array.of(n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, n >>> 24);
const be16 = (p: Uint8Array, o: number): number => (p[o]! << 8) | p[o + 1]!;

test("integer semantics: wrap, masked shifts, division by zero", () => {
  const prog = load(`nf arith on xdp
table out: array<u32, u64>(capacity = 16)
on packet {
  var a: u8 = 250
  a += 10
  out.insert(0, a as u64)
  let z: u32 = pkt_len() - pkt_len()
  out.insert(1, (7 / z) as u64)
  out.insert(2, (7 % z) as u64)
  let s: u32 = 33
  out.insert(3, (1 << s) as u64)
  let m: u16 = 0
  out.insert(4, (m - 1) as u64)
  let big: u64 = 0xffffffffffffffff
  out.insert(5, big * big)
  out.insert(6, (0x1234 as u8) as u64)
  if m - 1 > 0 && a < 5 { out.insert(7, 1) }
  pass
}`);
  const interp = createInterpreter(prog);
  expect(interp.run(buildPacket([{ kind: "eth" }]), META).verdict).toBe("pass");
  const t = interp.tables.out as TableHandle;
  const got = [0, 1, 2, 3, 4, 5, 6, 7].map((i) => le(t.get(le32(i))!));
  expect(got).toEqual([4n, 0n, 7n, 2n, 65535n, 1n, 0x34n, 1n]);
});

test("NAT: address and port rewrite keep IPv4 and TCP checksums right", () => {
  const prog = load(`nf nat on xdp
on packet {
  let ip = ipv4 else { pass }
  let t = tcp else { pass }
  ip.dst = 192.168.1.1
  ip.ttl -= 1
  t.dport = 8080
  tx
}`);
  const interp = createInterpreter(prog);
  const r = interp.run(
    buildPacket([{ kind: "eth" }, { kind: "ipv4" }, { kind: "tcp", dport: 80 }], [1, 2, 3]),
    META,
  );
  expect(r.verdict).toBe("tx");
  const p = r.packet;
  expect([...p.slice(30, 34)]).toEqual(addr("192.168.1.1"));
  expect(be16(p, 36)).toBe(8080);
  expect(be16(p, 24)).toBe(ipv4HeaderCsum(p, 14));
  expect(be16(p, 50)).toBe(l4Csum(p, p.slice(26, 30), p.slice(30, 34), 6, 34, p.length - 34, 16));
  expect(interp.run(buildPacket([{ kind: "eth" }, { kind: "ipv4" }, { kind: "udp" }]), META).verdict).toBe(
    "pass",
  );
});

test("per-source stats through a table reference", () => {
  const prog = load(`nf stats on xdp
type Stat { pkts: u64, bytes: u64 }
table stats: hash<ip4, Stat>(capacity = 1024)
on packet {
  let ip = ipv4 else { pass }
  let s = stats.get(ip.src) else {
    stats.insert(ip.src, Stat { pkts: 1, bytes: pkt_len() as u64 })
    pass
  }
  s.pkts += 1
  s.bytes += pkt_len() as u64
  pass
}`);
  const interp = createInterpreter(prog);
  const pkt = buildPacket([{ kind: "eth" }, { kind: "ipv4", src: "1.2.3.4" }, { kind: "udp" }]);
  for (let i = 0; i < 3; i++) interp.run(pkt, META);
  const v = (interp.tables.stats as TableHandle).get(Uint8Array.from(addr("1.2.3.4")))!;
  expect([le(v.slice(0, 8)), le(v.slice(8, 16))]).toEqual([3n, BigInt(3 * pkt.length)]);
});

describe("heavy hitter (the spec's example)", () => {
  const src = `nf heavy_hitter on xdp
config threshold: u32 = 3
sketch flows: count_min<flow5>(rows = 4, width = 1024)
table blocked: hash<ip4, u64>(capacity = 64)
counter dropped, passed
on packet {
  let ip = ipv4 else { pass }
  if blocked.contains(ip.src) { dropped += 1; drop }
  let f = flow5()
  flows.add(f, 1)
  if flows.estimate(f) > threshold { blocked.insert(ip.src, now_ns()); drop }
  passed += 1
  pass
}`;

  test("a flow above the threshold gets its source blocked", () => {
    const interp = createInterpreter(load(src));
    const heavy = buildPacket([
      { kind: "eth" },
      { kind: "ipv4", src: "10.9.9.9" },
      { kind: "udp", sport: 1 },
    ]);
    const light = buildPacket([
      { kind: "eth" },
      { kind: "ipv4", src: "10.7.7.7" },
      { kind: "udp", sport: 2 },
    ]);
    const verdicts = [heavy, heavy, heavy, light, heavy, heavy].map((p) => interp.run(p, META).verdict);
    expect(verdicts).toEqual(["pass", "pass", "pass", "pass", "drop", "drop"]);
    expect(interp.counters.passed!.total()).toBe(4n);
    expect(interp.counters.dropped!.total()).toBe(1n);
    const blocked = (interp.tables.blocked as TableHandle).entries();
    expect(blocked.map((e) => [[...e.key], le(e.value)])).toEqual([[addr("10.9.9.9"), 5n]]);
    const cm = interp.sketches.flows as CountMinStore;
    expect(cm.cells().reduce((a, x) => a + x, 0)).toBe(4 * 5); // 5 adds, 4 rows
  });

  test("raising the threshold at load time changes the outcome", () => {
    const interp = createInterpreter(load(src));
    interp.setConfig("threshold", { kind: "int", v: 100n });
    const heavy = buildPacket([{ kind: "eth" }, { kind: "ipv4" }, { kind: "udp" }]);
    for (let i = 0; i < 10; i++) expect(interp.run(heavy, META).verdict).toBe("pass");
  });
});
