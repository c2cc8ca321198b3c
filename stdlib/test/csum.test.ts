// Kernel tests for nf/csum.h. (1) csum_vec: every helper on seeded random and edge inputs gives
// the same 16 bits as lang/csum.ts. (2) csum_rewrite: real packets get TTL/TOS/address/port/flag
// rewrites; the output checksums must equal a full recompute, and the bytes must equal the
// interpreter twin (writeFieldUpdatingCsum) applied to the same writes.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { KernelRunner } from "../../compiler/kernel/runner.js";
import { requireKernel } from "../../compiler/kernel/testing.js";
import {
  csumReplace1,
  csumReplace2,
  csumReplace4,
  csumReplaceBytes,
  icmpCsum,
  ipv4HeaderCsum,
  l4Csum,
  udpCsumReplace2,
  udpCsumReplace4,
  udpCsumReplaceBytes,
  writeFieldUpdatingCsum,
} from "../../lang/csum.js";
import { loadTestProgram, rng, u16be } from "./harness.js";
import { Pkt } from "./packets.js";

const V4 = 0x0800,
  V6 = 0x86dd,
  Q = 0x8100;

/** Vector inputs: hc, then 16 "from" and 16 "to" bytes. */
function vectors(): Array<{ hc: number; from: Uint8Array; to: Uint8Array }> {
  const out: Array<{ hc: number; from: Uint8Array; to: Uint8Array }> = [];
  const fill = (b: number): Uint8Array => new Uint8Array(16).fill(b);
  for (const hc of [0x0000, 0xffff, 0x0001, 0xfffe, 0x8000]) {
    for (const [f, t] of [
      [0x00, 0x00],
      [0xff, 0x00],
      [0x00, 0xff],
      [0xff, 0xff],
      [0x00, 0x01],
      [0x01, 0x00],
      [0x7f, 0x80],
    ] as const) {
      out.push({ hc, from: fill(f), to: fill(t) });
    }
  }
  // hc 0x0001, from 0x0000.., to 0x0001 0x0000..: eqn 3 yields exactly 0 (UDP must map it)
  out.push({ hc: 0x0001, from: fill(0), to: new Uint8Array([0, 1, ...new Array<number>(14).fill(0)]) });
  const r = rng(42);
  for (let i = 0; i < 200; i++) {
    const from = new Uint8Array(16).map(() => Math.floor(r() * 256));
    const to = i % 4 === 0 ? from.slice() : new Uint8Array(16).map(() => Math.floor(r() * 256));
    if (i % 5 === 0) to.set(from.subarray(0, 8)); // partial overlap
    out.push({ hc: Math.floor(r() * 65536), from, to });
  }
  return out;
}

/** 20 header bytes for nf_csum_ipv4_hdr; ihl 5, or 6/7 (then the header does not fit: 0). */
function ipHeader(i: number, hc: number): Uint8Array {
  const h = new Uint8Array(20).map((_, j) => (j * 37 + i * 11 + hc) & 0xff);
  h[0] = 0x40 | (5 + (i % 3));
  return h;
}

describe.runIf(requireKernel())("nf/csum.h on the kernel", () => {
  let runner: KernelRunner;
  beforeAll(async () => {
    runner = await loadTestProgram("csum_test");
  });
  afterAll(async () => {
    await runner?.close();
  });

  test("every helper equals lang/csum.ts on edge and seeded random inputs", async () => {
    const vs = vectors();
    for (const [i, { hc, from, to }] of vs.entries()) {
      const pkt = new Uint8Array(72);
      pkt[0] = hc >> 8;
      pkt[1] = hc & 0xff;
      pkt.set(from, 2);
      pkt.set(to, 18);
      const ip = ipHeader(i, hc);
      pkt.set(ip, 52);
      const out = (await runner.run("csum_vec", pkt)).data;
      const f2 = u16be(from, 0),
        t2 = u16be(to, 0);
      const f4 = ((from[0]! << 24) | (from[1]! << 16) | (from[2]! << 8) | from[3]!) >>> 0;
      const t4 = ((to[0]! << 24) | (to[1]! << 16) | (to[2]! << 8) | to[3]!) >>> 0;
      const fullIp = (ip[0]! & 0xf) * 4 <= 20 ? ipv4HeaderCsum(ip, 0) : 0; // longer ihl does not fit in 72 bytes
      const got = [34, 36, 38, 40, 42, 44, 46, 48, 50].map((o) => u16be(out, o));
      const want = [
        csumReplace2(hc, f2, t2),
        csumReplace4(hc, f4, t4),
        csumReplaceBytes(hc, from, to),
        udpCsumReplace2(hc, f2, t2),
        udpCsumReplace4(hc, f4, t4),
        udpCsumReplaceBytes(hc, from, to),
        csumReplace1(hc, from[0]!, to[0]!, false),
        csumReplace1(hc, from[0]!, to[0]!, true),
        fullIp,
      ];
      expect({ i, hc, got }).toEqual({ i, hc, want: undefined, got: want });
    }
    // the crafted case really hits eqn 3's zero, so the UDP mapping is exercised
    const special = vs.find((v) => v.hc === 0x0001 && v.to[1] === 1 && v.from.every((b) => b === 0))!;
    expect(csumReplace2(special.hc, 0, 1)).toBe(0);
    expect(udpCsumReplace2(special.hc, 0, 1)).toBe(0xffff);
  });

  const PACKETS: Array<[string, () => Uint8Array]> = [
    ["ipv4 tcp", () => new Pkt().eth(V4).ipv4(6).tcp().payload(33).build()],
    [
      "ipv4 options + tcp options",
      () => new Pkt().eth(V4).ipv4(6, { optionBytes: 8 }).tcp(7).payload(5).build(),
    ],
    ["vlan ipv4 udp", () => new Pkt().eth(Q).vlan(V4).ipv4(17).udp().payload(17).build()],
    [
      "ipv4 udp with zero checksum",
      () => new Pkt().eth(V4).ipv4(17).udp({ zeroCsum: true }).payload(12).build(),
    ],
    ["ipv4 icmp", () => new Pkt().eth(V4).ipv4(1).icmp().payload(9).build()],
    ["ipv6 tcp", () => new Pkt().eth(V6).ipv6(6).tcp().payload(21).build()],
    ["ipv6 ext + udp", () => new Pkt().eth(V6).ipv6(0).ext(0, 17).udp().payload(3).build()],
    ["ipv6 icmpv6", () => new Pkt().eth(V6).ipv6(58).icmp().payload(8).build()],
  ];

  /** The interpreter-side twin of csum_rewrite, using lang/csum.ts on the same writes. */
  function twin(p: Uint8Array): Uint8Array {
    const b = p.slice();
    let off = 14;
    while (u16be(b, off - 2) === Q) off += 4;
    const v4 = u16be(b, off - 2) === V4;
    const put = (fieldOff: number, v: number[], csums: Array<[number, number, boolean]>): void =>
      writeFieldUpdatingCsum(
        b,
        fieldOff,
        new Uint8Array(v),
        csums.map(([off, base, udp]) => ({ off, base, udp })),
      );
    let l4 = -1,
      proto = 0;
    if (v4) {
      const ihl = (b[off]! & 0xf) * 4;
      l4 = off + ihl;
      proto = b[off + 9]!;
      const l4c: Array<[number, number, boolean]> =
        proto === 6 ? [[l4 + 16, l4, false]] : proto === 17 ? [[l4 + 6, l4, true]] : [];
      put(off + 8, [b[off + 8]! - 1], [[off + 10, off, false]]);
      put(off + 1, [b[off + 1]! ^ 0xfc], [[off + 10, off, false]]);
      put(off + 12, [10, 9, 8, 7], [[off + 10, off, false], ...l4c]);
    } else {
      l4 = off + 40;
      proto = b[off + 6]!;
      while (proto === 0) {
        proto = b[l4]!;
        l4 += (b[l4 + 1]! + 1) * 8;
      }
      const src = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x99];
      const l4c: Array<[number, number, boolean]> =
        proto === 6 ? [[l4 + 16, l4, false]] : proto === 17 ? [[l4 + 6, l4, true]] : [[l4 + 2, l4, false]];
      put(off + 8, src, l4c);
      b[off + 7] = b[off + 7]! - 1;
    }
    if (proto === 6) {
      put(l4 + 2, [0x10, 0x92], [[l4 + 16, l4, false]]);
      put(l4 + 13, [b[l4 + 13]! | 0x08], [[l4 + 16, l4, false]]);
    } else if (proto === 17) {
      put(l4 + 2, [0x10, 0x92], [[l4 + 6, l4, true]]);
    } else if (proto === 1) {
      put(l4, [0], [[l4 + 2, l4, false]]);
      put(l4 + 1, [0], [[l4 + 2, l4, false]]);
    }
    return b;
  }

  /** Full recompute of the checksums in `b` (IPv4 header, L4) for comparison. */
  function recompute(b: Uint8Array): { ip?: number; l4?: number } {
    let off = 14;
    while (u16be(b, off - 2) === Q) off += 4;
    if (u16be(b, off - 2) === V4) {
      const l4 = off + (b[off]! & 0xf) * 4;
      const proto = b[off + 9]!;
      const src = b.slice(off + 12, off + 16),
        dst = b.slice(off + 16, off + 20);
      const len = b.length - l4;
      const l4sum =
        proto === 6
          ? l4Csum(b, src, dst, 6, l4, len, 16)
          : proto === 17
            ? u16be(b, l4 + 6) === 0
              ? 0
              : l4Csum(b, src, dst, 17, l4, len, 6, true)
            : icmpCsum(b, l4, len);
      return { ip: ipv4HeaderCsum(b, off), l4: l4sum };
    }
    let l4 = off + 40,
      proto = b[off + 6]!;
    while (proto === 0) {
      proto = b[l4]!;
      l4 += (b[l4 + 1]! + 1) * 8;
    }
    const at = proto === 6 ? 16 : proto === 17 ? 6 : 2;
    return {
      l4: l4Csum(
        b,
        b.slice(off + 8, off + 24),
        b.slice(off + 24, off + 40),
        proto,
        l4,
        b.length - l4,
        at,
        proto === 17,
      ),
    };
  }

  function stored(b: Uint8Array): { ip?: number; l4?: number } {
    let off = 14;
    while (u16be(b, off - 2) === Q) off += 4;
    if (u16be(b, off - 2) === V4) {
      const l4 = off + (b[off]! & 0xf) * 4;
      const at = b[off + 9] === 6 ? 16 : b[off + 9] === 17 ? 6 : 2;
      return { ip: u16be(b, off + 10), l4: u16be(b, l4 + at) };
    }
    let l4 = off + 40,
      proto = b[off + 6]!;
    while (proto === 0) {
      proto = b[l4]!;
      l4 += (b[l4 + 1]! + 1) * 8;
    }
    return { l4: u16be(b, l4 + (proto === 6 ? 16 : proto === 17 ? 6 : 2)) };
  }

  test.each(PACKETS)(
    "%s: rewritten checksums equal a full recompute and the TS twin's bytes",
    async (_name, make) => {
      const input = make();
      expect(stored(input)).toEqual(recompute(input)); // the builder made valid checksums
      const out = (await runner.run("csum_rewrite", input)).data.slice(0, input.length);
      expect(Buffer.from(out).equals(Buffer.from(input))).toBe(false);
      expect(stored(out)).toEqual(recompute(out));
      expect(Buffer.from(out).toString("hex")).toBe(Buffer.from(twin(input)).toString("hex"));
    },
  );

  test("a zero UDP checksum over IPv4 stays zero after address and port rewrites", async () => {
    const input = new Pkt().eth(V4).ipv4(17).udp({ zeroCsum: true }).payload(12).build();
    const out = (await runner.run("csum_rewrite", input)).data;
    expect(u16be(out, 34 + 6)).toBe(0);
    expect(u16be(out, 34 + 2)).toBe(4242);
  });
});
