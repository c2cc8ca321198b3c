// One program touching every built-in header, run on valid packets (all checksums must still
// verify after its writes) and on seeded malformed variants (truncations, byte flips): the
// interpreter must answer every packet, never throw, and keep the packet length.
import { describe, expect, test } from "vitest";
import { icmpCsum, ipv4HeaderCsum, l4Csum } from "../csum.js";
import { checkSource } from "../index.js";
import { createInterpreter } from "./index.js";
import { buildPacket, type Layer } from "./packet-build.js";
import { parseBuiltin } from "./parse.js";
import { rng } from "../rng.js";

const SRC = `nf all on xdp
counter v4, v6, t, u, i, i6
on packet {
  if let ip = ipv4 { ip.ttl -= 1; ip.src = 10.1.1.1; ip.tos = 0xb8; v4 += 1 }
  if let ip6 = ipv6 { ip6.hop -= 1; ip6.dst = 2001:db8::99; v6 += 1 }
  if let x = tcp { x.sport = 1; x.flags = x.flags | 1; t += 1 }
  if let x = udp { x.dport = 2; u += 1 }
  if let x = icmp { x.code = 9; i += 1 } // x.type does not parse yet (type is a keyword)
  if let x = icmpv6 { x.code = 1; i6 += 1 }
  pass
}`;

const E: Layer = { kind: "eth" };
const VALID: Layer[][] = [
  [E, { kind: "ipv4" }, { kind: "tcp" }],
  [E, { kind: "ipv4", options: [1, 1, 1, 1, 1, 1, 1, 1] }, { kind: "tcp", options: [2, 4, 5, 0xb4] }],
  [E, { kind: "ipv4" }, { kind: "udp" }],
  [E, { kind: "ipv4" }, { kind: "udp", csum: 0 }],
  [E, { kind: "ipv4" }, { kind: "icmp" }],
  [E, { kind: "vlan" }, { kind: "vlan", tpid: 0x88a8 }, { kind: "ipv4" }, { kind: "udp" }],
  [E, { kind: "ipv6" }, { kind: "tcp" }],
  [E, { kind: "ipv6" }, { kind: "ext", type: 0 }, { kind: "ext", type: 43, hdrlen: 1 }, { kind: "udp" }],
  [E, { kind: "ipv6" }, { kind: "ext", type: 44 }, { kind: "icmp" }],
];

const be16 = (p: Uint8Array, o: number): number => (p[o]! << 8) | p[o + 1]!;

/** Every checksum of a packet equals a full recompute. */
function checksumsOk(p: Uint8Array): boolean {
  const h = parseBuiltin(p);
  const v4 = h.at.get("ipv4");
  const v6 = h.at.get("ipv6");
  if (v4 !== undefined && be16(p, v4 + 10) !== ipv4HeaderCsum(p, v4)) return false;
  const [src, dst] =
    v4 !== undefined
      ? [p.slice(v4 + 12, v4 + 16), p.slice(v4 + 16, v4 + 20)]
      : [p.slice(v6! + 8, v6! + 24), p.slice(v6! + 24, v6! + 40)];
  for (const [name, proto, at] of [
    ["tcp", 6, 16],
    ["udp", 17, 6],
    ["icmpv6", 58, 2],
  ] as const) {
    const off = h.at.get(name);
    if (off === undefined) continue;
    const got = be16(p, off + at);
    if (name === "udp" && got === 0) continue;
    if (got !== l4Csum(p, src, dst, proto, off, p.length - off, at, name === "udp")) return false;
  }
  const ic = h.at.get("icmp");
  return ic === undefined || be16(p, ic + 2) === icmpCsum(p, ic, p.length - ic);
}

describe("every header written", () => {
  const r = checkSource(SRC, "all.nf");
  const prog = r.program!;
  const META = { cpu: 0, nowNs: 0n, ifindex: 1 };

  test("checks", () => {
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  });

  test.each(VALID.map((l, i) => [i, l] as const))("valid packet %i: checksums still verify", (_i, layers) => {
    const pkt = buildPacket(layers, [1, 2, 3, 4, 5, 6, 7]);
    expect(checksumsOk(pkt)).toBe(true);
    const out = createInterpreter(prog).run(pkt, META).packet;
    expect(out).not.toEqual(pkt);
    expect(checksumsOk(out)).toBe(true);
  });

  test("zero UDP checksum stays zero", () => {
    const out = createInterpreter(prog).run(buildPacket(VALID[3]!, [9]), META).packet;
    expect(be16(out, 34 + 6)).toBe(0);
  });

  test("seeded malformed packets: an answer for every one, length kept", () => {
    const interp = createInterpreter(prog);
    const rand = rng(42);
    let runs = 0;
    for (const layers of VALID) {
      const base = buildPacket(layers, [1, 2, 3, 4]);
      for (let n = 0; n < 150; n++) {
        const p = base.slice(0, Math.floor(rand() * (base.length + 1)));
        const flips = Math.floor(rand() * 4);
        for (let f = 0; f < flips && p.length > 0; f++)
          p[Math.floor(rand() * p.length)] = Math.floor(rand() * 256);
        const res = interp.run(p, META);
        expect(res.verdict).toBe("pass");
        expect(res.packet.length).toBe(p.length);
        runs++;
      }
    }
    expect(runs).toBe(VALID.length * 150);
    expect(interp.counters.v4!.total() + interp.counters.v6!.total()).toBeGreaterThan(100n);
  });
});
