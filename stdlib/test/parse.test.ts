// Kernel tests for nf/parse.h: crafted packets through BPF_PROG_TEST_RUN; the test program
// records the offsets nf_parse() found in the map `result` (slot per want mask). Expected
// offsets come from how each packet was built (packets.ts), including every truncation.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { KernelRunner } from "../../compiler/kernel/runner.js";
import { requireKernel } from "../../compiler/kernel/testing.js";
import { i32le, loadTestProgram, u32le } from "./harness.js";
import { emptyParse, Pkt, SLOTS, type Parsed, type Slot } from "./packets.js";

const V4 = 0x0800,
  V6 = 0x86dd,
  Q = 0x8100,
  AD = 0x88a8;

/** Programs of parse_test.bpf.c: name, result slot, and which slots that want mask guarantees. */
const PROGS: Array<{ name: string; slot: number; wanted: Slot[] }> = [
  { name: "parse_all", slot: 0, wanted: [...SLOTS] },
  { name: "parse_tcp", slot: 1, wanted: ["eth", "vlan", "vlan_inner", "l2_end", "tcp"] },
  { name: "parse_v6", slot: 2, wanted: ["eth", "vlan", "vlan_inner", "l2_end", "ipv6"] },
  { name: "parse_v4_icmp", slot: 3, wanted: ["eth", "vlan", "vlan_inner", "l2_end", "ipv4", "icmp"] },
  { name: "parse_eth", slot: 4, wanted: ["eth", "vlan", "vlan_inner", "l2_end"] },
  { name: "parse_udp_icmpv6", slot: 5, wanted: ["eth", "vlan", "vlan_inner", "l2_end", "udp", "icmpv6"] },
];

const CASES: Array<[string, () => Pkt]> = [
  ["ipv4 tcp", () => new Pkt().eth(V4).ipv4(6).tcp().payload(10)],
  ["ipv4 udp", () => new Pkt().eth(V4).ipv4(17).udp().payload(5)],
  ["ipv4 icmp", () => new Pkt().eth(V4).ipv4(1).icmp().payload(4)],
  [
    "ipv4 options (ihl 8) tcp with options (doff 8)",
    () => new Pkt().eth(V4).ipv4(6, { optionBytes: 12 }).tcp(8).payload(3),
  ],
  ["ipv4 ihl 15 udp", () => new Pkt().eth(V4).ipv4(17, { optionBytes: 40 }).udp()],
  ["ipv4 ihl 4 (bad)", () => new Pkt().eth(V4).ipv4(6, { ihl: 4 }).payload(40)],
  ["ipv4 ihl 0 (bad)", () => new Pkt().eth(V4).ipv4(6, { ihl: 0 }).payload(40)],
  ["ipv4 tcp doff 4 (bad)", () => new Pkt().eth(V4).ipv4(6).tcp(4).payload(20)],
  ["ipv4 first fragment (MF, offset 0)", () => new Pkt().eth(V4).ipv4(17, { frag: 0x2000 }).udp().payload(8)],
  ["ipv4 non-first fragment", () => new Pkt().eth(V4).ipv4(17, { frag: 0x2001 }).udp().payload(8)],
  ["ipv4 last fragment", () => new Pkt().eth(V4).ipv4(6, { frag: 0x00b9 }).tcp()],
  ["ipv4 proto 58 (no icmp under v4)", () => new Pkt().eth(V4).ipv4(58).payload(8)],
  ["ipv4 gre (unknown l4)", () => new Pkt().eth(V4).ipv4(47).payload(8)],
  ["vlan ipv4 udp", () => new Pkt().eth(Q).vlan(V4).ipv4(17).udp().payload(2)],
  ["qinq (88a8 + 8100) ipv4 tcp", () => new Pkt().eth(AD).vlan(Q).vlan(V4).ipv4(6).tcp()],
  ["qinq (8100 + 8100) ipv6 udp", () => new Pkt().eth(Q).vlan(Q).vlan(V6).ipv6(17).udp()],
  ["three vlan tags (third not parsed)", () => new Pkt().eth(Q).vlan(Q).vlan(Q).vlan(V4).ipv4(6).tcp()],
  ["vlan with unknown ethertype", () => new Pkt().eth(Q).vlan(0x0806).payload(28)],
  ["arp", () => new Pkt().eth(0x0806).payload(28)],
  ["ipv6 tcp", () => new Pkt().eth(V6).ipv6(6).tcp().payload(6)],
  ["ipv6 udp", () => new Pkt().eth(V6).ipv6(17).udp()],
  ["ipv6 icmpv6", () => new Pkt().eth(V6).ipv6(58).icmp().payload(4)],
  ["ipv6 proto 1 (no icmp under v6)", () => new Pkt().eth(V6).ipv6(1).payload(8)],
  [
    "ipv6 hop-by-hop + routing, tcp",
    () => new Pkt().eth(V6).ipv6(0).ext(0, 43).ext(43, 6, { hdrlen: 2 }).tcp(),
  ],
  [
    "ipv6 dest-opts + first fragment, udp",
    () => new Pkt().eth(V6).ipv6(60).ext(60, 44, { hdrlen: 1 }).ext(44, 17).udp(),
  ],
  ["ipv6 non-first fragment", () => new Pkt().eth(V6).ipv6(44).ext(44, 17, { fragOffset: 100 }).udp()],
  [
    "ipv6 four ext headers, icmpv6",
    () => new Pkt().eth(V6).ipv6(0).ext(0, 60).ext(60, 43).ext(43, 44, { hdrlen: 3 }).ext(44, 58).icmp(),
  ],
  [
    "ipv6 five ext headers (fifth not walked)",
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
  ["ipv6 routing hdrlen 255", () => new Pkt().eth(V6).ipv6(43).ext(43, 17, { hdrlen: 255 }).udp()],
  ["ipv6 with vlan, tcp doff 15", () => new Pkt().eth(Q).vlan(V6).ipv6(6).tcp(15).payload(1)],
];

describe.runIf(requireKernel())("nf_parse on the kernel", () => {
  let runner: KernelRunner;
  beforeAll(async () => {
    runner = await loadTestProgram("parse_test");
  });
  afterAll(async () => {
    await runner?.close();
  });

  async function parse(prog: string, slot: number, pkt: Uint8Array): Promise<Parsed & { probe: number }> {
    const r = await runner.run(prog, pkt);
    expect(r.retval).toBe(2); // XDP_PASS
    const v = (await runner.lookup("result", new Uint8Array([slot, 0, 0, 0])))!.value!;
    const out = { ...emptyParse(), probe: u32le(v, 56) };
    SLOTS.forEach((s, i) => (out[s] = i32le(v, i * 4)));
    out.l4proto = u32le(v, 52);
    return out;
  }

  /** XOR of the last fixed byte of every header found (what the program's `probe` reads). */
  function probe(pkt: Uint8Array, p: Parsed): number {
    const sizes: Array<[Slot, number]> = [
      ["eth", 14],
      ["vlan", 4],
      ["vlan_inner", 4],
      ["ipv4", 20],
      ["ipv6", 40],
      ["tcp", 20],
      ["udp", 8],
      ["icmp", 4],
      ["icmpv6", 4],
    ];
    return sizes.reduce((x, [s, n]) => (p[s] >= 0 ? x ^ pkt[p[s] + n - 1]! : x), 0);
  }

  test.each(CASES)("%s: full packet and every truncation", async (_name, make) => {
    const pkt = make();
    const bytes = pkt.build();
    // XDP test runs need at least an Ethernet header; shorter packets cannot be run.
    for (let len = bytes.length; len >= 14; len--) {
      const cut = bytes.slice(0, len);
      const got = await parse("parse_all", 0, cut);
      const want = pkt.expectAt(len);
      expect({ len, ...got }).toEqual({ len, ...want, probe: probe(cut, want) });
    }
  });

  test("hand-checked offsets: qinq ipv6 with two extension headers, tcp", async () => {
    const pkt = new Pkt()
      .eth(AD)
      .vlan(Q)
      .vlan(V6)
      .ipv6(0)
      .ext(0, 43)
      .ext(43, 6, { hdrlen: 1 })
      .tcp(6)
      .payload(2);
    const got = await parse("parse_all", 0, pkt.build());
    // eth 0, tags 14/18, ipv6 22, hop-by-hop 62 (8 bytes), routing 70 (16 bytes), tcp 86 (24 bytes)
    expect(got).toMatchObject({
      eth: 0,
      vlan: 14,
      vlan_inner: 18,
      l2_end: 22,
      ipv4: -1,
      ipv6: 22,
      l3_end: 86,
      l4proto: 6,
      tcp: 86,
      l4: 86,
      l4_end: 110,
      udp: -1,
    });
  });

  test("hand-checked: ipv6 non-first fragment has proto 17 and no L4", async () => {
    const got = await parse(
      "parse_all",
      0,
      new Pkt().eth(V6).ipv6(44).ext(44, 17, { fragOffset: 1 }).udp().build(),
    );
    expect(got).toMatchObject({ ipv6: 14, l3_end: 62, l4proto: 17, udp: -1, l4: -1, l4_end: -1 });
  });

  test("hand-checked: ipv4 ihl 4 is absent, and a non-first fragment has no L4", async () => {
    expect(
      await parse("parse_all", 0, new Pkt().eth(V4).ipv4(6, { ihl: 4 }).payload(40).build()),
    ).toMatchObject({ eth: 0, l2_end: 14, ipv4: -1, l3_end: -1, l4proto: 0, tcp: -1 });
    expect(
      await parse("parse_all", 0, new Pkt().eth(V4).ipv4(6, { frag: 0x0001 }).tcp().build()),
    ).toMatchObject({ ipv4: 14, l3_end: 34, l4proto: 6, tcp: -1, l4: -1 });
  });

  /** Under which packets a conditional slot is guaranteed, per flag program. */
  const FLAGGED: Array<{ name: string; slot: number; wanted: (full: Parsed) => Array<Slot | "l4proto"> }> = [
    // L4_V4_ONLY: L4 exactly as the full parse below IPv4; below IPv6 NULL or equal
    {
      name: "parse_l4_v4_only",
      slot: 6,
      wanted: (f) => [
        "eth",
        "vlan",
        "vlan_inner",
        "l2_end",
        ...(f.ipv4 >= 0 ? (["tcp", "udp", "l3_end"] as const) : []),
        ...(f.ipv4 >= 0 && (f.tcp >= 0 || f.udp >= 0) ? (["l4", "l4_end"] as const) : []),
      ],
    },
    // IPV6_EXT without L4: the extension-header walk (l3_end, l4proto) below IPv6
    {
      name: "parse_v6_ext",
      slot: 7,
      wanted: (f) => [
        "eth",
        "vlan",
        "vlan_inner",
        "l2_end",
        "ipv6",
        ...(f.ipv6 >= 0 ? (["l3_end", "l4proto"] as const) : []),
      ],
    },
  ];

  test.each(FLAGGED)(
    "flag program $name: guaranteed pointers equal the full parse, others NULL or equal",
    async ({ name, slot, wanted }) => {
      for (const [, make] of CASES) {
        const pkt = make();
        const bytes = pkt.build();
        for (let len = bytes.length; len >= 14; len--) {
          const cut = bytes.slice(0, len);
          const full = pkt.expectAt(len);
          const got = await parse(name, slot, cut);
          const must = wanted(full);
          for (const s of SLOTS) {
            if (must.includes(s))
              expect({ name, len, s, off: got[s] }).toEqual({ name, len, s, off: full[s] });
            else
              expect({ name, len, s, ok: got[s] === -1 || got[s] === full[s] }).toEqual({
                name,
                len,
                s,
                ok: true,
              });
          }
          if (must.includes("l4proto"))
            expect({ name, len, l4proto: got.l4proto }).toEqual({ name, len, l4proto: full.l4proto });
        }
      }
    },
  );

  test.each(PROGS.slice(1))(
    "want mask of $name: wanted pointers equal the full parse, others NULL or equal",
    async ({ name, slot, wanted }) => {
      for (const [, make] of CASES) {
        const pkt = make();
        const bytes = pkt.build();
        for (const len of [bytes.length, bytes.length - 1, 34, 54]) {
          if (len < 14 || len > bytes.length) continue;
          const cut = bytes.slice(0, len);
          const full = pkt.expectAt(len);
          const got = await parse(name, slot, cut);
          for (const s of SLOTS) {
            if (wanted.includes(s))
              expect({ name, len, s, off: got[s] }).toEqual({ name, len, s, off: full[s] });
            else
              expect({ name, len, s, ok: got[s] === -1 || got[s] === full[s] }).toEqual({
                name,
                len,
                s,
                ok: true,
              });
          }
        }
      }
    },
  );
});
