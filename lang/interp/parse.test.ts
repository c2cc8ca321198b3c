// The interpreter's parser against the expectation model the stdlib's kernel tests verify
// nf_parse() with (stdlib/test/packets.ts: Pkt.expectAt), at EVERY truncation length, plus
// hand-checked offsets for packets from packet-build.ts.
import { describe, expect, test } from "vitest";
import { Pkt, type Parsed as Expected } from "../../stdlib/test/packets.js";
import { buildPacket } from "./packet-build.js";
import type { ParseExt } from "../checked.js";
import type { HeaderDef } from "../headers.js";
import { parseBuiltin, parseExtensions, type Parsed } from "./parse.js";

const V4 = 0x0800;
const V6 = 0x86dd;
const Q = 0x8100;
const AD = 0x88a8;

const HEADERS = ["eth", "vlan", "vlan_inner", "ipv4", "ipv6", "tcp", "udp", "icmp", "icmpv6"] as const;

/** Our parse in the shape of the stdlib's expectation (offsets or -1). */
function view(p: Parsed): Partial<Expected> {
  const out: Record<string, number> = { l4proto: p.l4proto };
  for (const h of HEADERS) out[h] = p.at.get(h) ?? -1;
  out.l2_end = p.end.get("eth") ?? -1;
  const ip = p.at.has("ipv4") ? "ipv4" : p.at.has("ipv6") ? "ipv6" : undefined;
  out.l3_end = ip ? p.end.get(ip)! : -1;
  const l4 = ["tcp", "udp", "icmp", "icmpv6"].find((h) => p.at.has(h));
  out.l4 = l4 ? p.at.get(l4)! : -1;
  out.l4_end = l4 ? p.end.get(l4)! : -1;
  return out;
}

function expected(e: Expected): Partial<Expected> {
  const out: Record<string, number> = {};
  for (const k of [...HEADERS, "l4proto", "l2_end", "l3_end", "l4", "l4_end"] as const) out[k] = e[k];
  return out;
}

const CASES: Array<[string, () => Pkt]> = [
  ["ipv4 tcp", () => new Pkt().eth(V4).ipv4(6).tcp().payload(6)],
  ["ipv4 udp", () => new Pkt().eth(V4).ipv4(17).udp().payload(3)],
  ["ipv4 icmp", () => new Pkt().eth(V4).ipv4(1).icmp()],
  ["ipv4 options + tcp options", () => new Pkt().eth(V4).ipv4(6, { optionBytes: 12 }).tcp(8).payload(2)],
  ["ipv4 ihl 4", () => new Pkt().eth(V4).ipv4(6, { ihl: 4 }).payload(30)],
  ["tcp doff 4", () => new Pkt().eth(V4).ipv4(6).tcp(4).payload(20)],
  ["ipv4 first fragment", () => new Pkt().eth(V4).ipv4(17, { frag: 0x2000 }).udp()],
  ["ipv4 non-first fragment", () => new Pkt().eth(V4).ipv4(17, { frag: 0x2001 }).udp()],
  ["ipv4 proto 58", () => new Pkt().eth(V4).ipv4(58).payload(8)],
  ["vlan ipv4 udp", () => new Pkt().eth(Q).vlan(V4).ipv4(17).udp()],
  ["qinq ipv4 tcp", () => new Pkt().eth(AD).vlan(Q).vlan(V4).ipv4(6).tcp()],
  ["three tags", () => new Pkt().eth(Q).vlan(Q).vlan(Q).vlan(V4).ipv4(6).tcp()],
  ["arp", () => new Pkt().eth(0x0806).payload(28)],
  ["ipv6 tcp", () => new Pkt().eth(V6).ipv6(6).tcp().payload(4)],
  ["ipv6 icmpv6", () => new Pkt().eth(V6).ipv6(58).icmp()],
  ["ipv6 proto 1", () => new Pkt().eth(V6).ipv6(1).payload(8)],
  ["ipv6 hbh + routing tcp", () => new Pkt().eth(V6).ipv6(0).ext(0, 43).ext(43, 6, { hdrlen: 2 }).tcp()],
  [
    "ipv6 dstopts + first fragment udp",
    () => new Pkt().eth(V6).ipv6(60).ext(60, 44, { hdrlen: 1 }).ext(44, 17).udp(),
  ],
  ["ipv6 non-first fragment", () => new Pkt().eth(V6).ipv6(44).ext(44, 17, { fragOffset: 100 }).udp()],
  [
    "ipv6 four ext icmpv6",
    () => new Pkt().eth(V6).ipv6(0).ext(0, 60).ext(60, 43).ext(43, 44, { hdrlen: 3 }).ext(44, 58).icmp(),
  ],
  [
    "ipv6 five ext",
    () =>
      new Pkt()
        .eth(V6)
        .ipv6(0)
        .ext(0, 60)
        .ext(60, 43)
        .ext(43, 60)
        .ext(60, 60)
        .ext(60, 6, { counted: false })
        .tcp(),
  ],
  ["vlan ipv6 tcp doff 15", () => new Pkt().eth(Q).vlan(V6).ipv6(6).tcp(15).payload(1)],
];

describe("parse matches nf_parse at every truncation", () => {
  test.each(CASES)("%s", (_name, make) => {
    const pkt = make();
    const full = pkt.build();
    for (let len = 0; len <= full.length; len++) {
      expect({ len, ...view(parseBuiltin(full.slice(0, len))) }).toEqual({
        len,
        ...expected(pkt.expectAt(len)),
      });
    }
  });
});

describe("parse offsets (packet-build)", () => {
  test("ipv4 + tcp with options", () => {
    const p = parseBuiltin(
      buildPacket([
        { kind: "eth" },
        { kind: "ipv4", options: [1, 1, 1, 1] },
        { kind: "tcp", options: [1, 1, 1, 1, 1, 1, 1, 1] },
      ]),
    );
    expect(p.at.get("ipv4")).toBe(14);
    expect(p.end.get("ipv4")).toBe(38);
    expect(p.at.get("tcp")).toBe(38);
    expect(p.end.get("tcp")).toBe(66);
    expect(p.l4proto).toBe(6);
  });

  test("802.1ad + 802.1Q tags then ipv6 udp", () => {
    const p = parseBuiltin(
      buildPacket([
        { kind: "eth" },
        { kind: "vlan", tpid: 0x88a8 },
        { kind: "vlan" },
        { kind: "ipv6" },
        { kind: "udp" },
      ]),
    );
    expect([p.at.get("vlan"), p.at.get("vlan_inner"), p.at.get("ipv6"), p.at.get("udp")]).toEqual([
      14, 18, 22, 62,
    ]);
  });

  test("ipv6 extension chain sets proto to the upper layer", () => {
    const p = parseBuiltin(
      buildPacket([
        { kind: "eth" },
        { kind: "ipv6" },
        { kind: "ext", type: 0 },
        { kind: "ext", type: 44 },
        { kind: "icmp" },
      ]),
    );
    expect(p.l4proto).toBe(58);
    expect(p.at.get("icmpv6")).toBe(14 + 40 + 16);
    expect(p.at.has("icmp")).toBe(false);
  });

  test("ipv6 non-first fragment: proto known, no L4", () => {
    const p = parseBuiltin(
      buildPacket([
        { kind: "eth" },
        { kind: "ipv6" },
        { kind: "ext", type: 44, fragOffset: 3 },
        { kind: "udp" },
      ]),
    );
    expect(p.l4proto).toBe(17);
    expect(p.at.has("udp")).toBe(false);
    expect(p.at.has("ipv6")).toBe(true);
  });
});

describe("user parse extensions (declaration order, one pass, as the generated C)", () => {
  const span = { file: "t.nf", start: 0, end: 0, line: 1, col: 1 };
  const hdr = (name: string, size: number): HeaderDef => ({ name, size, builtin: false, fields: [] });
  const ext = (after: string, header: string, holds: boolean): ParseExt & { holds: boolean } => ({
    after,
    field: "x",
    value: { kind: "int", v: 0n },
    header,
    span,
    holds,
  });
  const run = (pkt: Uint8Array, exts: (ParseExt & { holds: boolean })[], defs: HeaderDef[]): Parsed => {
    const r = parseBuiltin(pkt);
    parseExtensions(pkt, r, exts, defs, (e) => (e as ParseExt & { holds: boolean }).holds);
    return r;
  };
  const vlanPkt = buildPacket([
    { kind: "eth" },
    { kind: "vlan" },
    { kind: "vlan" },
    { kind: "raw", bytes: new Array(20).fill(0) },
  ]);

  test("after a vlan tag the user header starts after ALL tags (l2_end)", () => {
    const r = run(vlanPkt, [ext("vlan", "a", true)], [hdr("a", 8)]);
    expect(r.at.get("a")).toBe(22);
  });

  test("a later extension to the same header is tried when an earlier one does not apply", () => {
    const r = run(vlanPkt, [ext("vlan", "a", false), ext("eth", "a", true)], [hdr("a", 8)]);
    expect(r.at.get("a")).toBe(22);
    const big = run(vlanPkt, [ext("vlan", "a", true), ext("eth", "a", true)], [hdr("a", 100)]);
    expect(big.at.has("a")).toBe(false);
  });

  test("chains work in declaration order only", () => {
    const defs = [hdr("a", 4), hdr("b", 4)];
    expect(run(vlanPkt, [ext("eth", "a", true), ext("a", "b", true)], defs).at.get("b")).toBe(26);
    expect(run(vlanPkt, [ext("a", "b", true), ext("eth", "a", true)], defs).at.has("b")).toBe(false);
  });
});
