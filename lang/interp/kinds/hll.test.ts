// hll: the block definition, the integer estimator against the float HyperLogLog formula, the
// rank rule at its extremes, group masking, accuracy on distinct keys, and the map layout.
import { describe, expect, test } from "vitest";
import type { StateDecl } from "../../checked.js";
import { findBlock } from "../../blocks/index.js";
import { hllAlpha, hllEstimate, hllLog2Q20, hllTerm } from "../../blocks/hll.js";
import { U32 } from "../../types.js";
import { writeUint } from "../layout.js";
import { hllRank, type HllStore } from "./hll.js";
import { STORES } from "./index.js";

const span = { start: 0, end: 0, line: 1, col: 1, file: "t.nf" } as unknown as StateDecl["span"];
const mk = (p: number, groups = 1, perCpu = false, cpus = 1): HllStore =>
  STORES.hll!(
    {
      name: "card",
      family: "sketch",
      kind: "hll",
      key: U32,
      params: { precision: p, groups, per_cpu: perCpu },
      span,
    },
    { cpus, backend: "bpf" },
  ) as HllStore;
const u32 = (n: number): Uint8Array => {
  const b = new Uint8Array(4);
  writeUint(b, 0, 4, BigInt(n >>> 0), false);
  return b;
};

/** The textbook float estimate from registers (Flajolet et al. 2007, small-range correction). */
function floatEstimate(p: number, regs: Uint8Array): number {
  const m = 2 ** p;
  let sum = 0;
  let zeros = 0;
  for (const r of regs) {
    sum += 2 ** -r;
    if (r === 0) zeros++;
  }
  const raw = (hllAlpha(p) * m * m) / sum;
  return zeros > 0 && raw <= 2.5 * m ? m * Math.log(m / zeros) : raw;
}

describe("hll block", () => {
  test("parameters, defaults, signatures and memory", () => {
    const b = findBlock("hll")!;
    expect(b.params.find((x) => x.name === "precision")).toMatchObject({ min: 4, max: 14 });
    expect(b.params.find((x) => x.name === "groups")).toMatchObject({ pow2: true, max: 65536 });
    expect(b.derive({ precision: 10 })).toEqual({ precision: 10, groups: 1, per_cpu: false });
    expect(b.ops.add!.params.map((x) => [x.name, x.default])).toEqual([
      ["key", undefined],
      ["group", 0n],
    ]);
    expect(b.ops.estimate!.params.map((x) => [x.name, x.default])).toEqual([["group", 0n]]);
    expect(b.memoryBytes({ precision: 10, groups: 256 }, U32, undefined)).toBe(256 * (16 + 1024));
    // 65536 groups of 2^14 registers exceed the 256 MiB per-structure limit (NF4005 in the checker)
    expect(b.memoryBytes({ precision: 14, groups: 65536 }, U32, undefined)).toBeGreaterThan(
      256 * 1024 * 1024,
    );
  });
});

describe("hll integer arithmetic", () => {
  test("log2 in Q20 is floor-exact to 2^-19 for every zero count 1..2^14", () => {
    for (let v = 1; v <= 1 << 14; v++) {
      const got = Number(hllLog2Q20(v)) / 2 ** 20;
      const err = Math.log2(v) - got;
      expect(err).toBeGreaterThanOrEqual(-1e-12);
      expect(err).toBeLessThan(2 ** -19);
    }
  });

  test("rank: 1 + trailing zeros above the index bits, 65 - p for an all-zero remainder", () => {
    expect(hllRank(0n, 10)).toBe(55);
    expect(hllRank(0n, 4)).toBe(61);
    expect(hllRank(1n << 10n, 10)).toBe(1);
    expect(hllRank(0x3ffn | (1n << 13n), 10)).toBe(4);
    expect(hllTerm(10, 0)).toBe(1n << 44n);
    expect(hllTerm(10, 45)).toBe(0n); // beyond S = 44: truncated
  });

  test("the integer estimate is within 1 + 1e-6 relative of the float formula", () => {
    for (const p of [4, 6, 10, 12, 14]) {
      const s = mk(p);
      let worst = 0;
      let done = 0;
      for (let n = 1; n <= Math.min(40 * 2 ** p, 60000); n = Math.ceil(n * 1.3)) {
        for (; done < n; done++) s.add(u32(done * 2654435761), 0, 0);
        const got = s.estimate(0, 0);
        const want = floatEstimate(p, s.registers(0));
        const d = Math.abs(got - want);
        expect(d).toBeLessThanOrEqual(1 + 1e-6 * want);
        worst = Math.max(worst, d);
      }
      expect(worst).toBeLessThanOrEqual(1.000001);
    }
  });

  test("accuracy: 100 000 distinct keys at p = 12 within 3 standard errors (3 · 1.04/64)", () => {
    const s = mk(12);
    for (let i = 0; i < 100000; i++) s.add(u32(i), 0, 0);
    expect(Math.abs(s.estimate(0, 0) / 100000 - 1)).toBeLessThan(0.049);
  });

  test("empty is 0, duplicates do not grow it, few keys are counted almost exactly", () => {
    const s = mk(10);
    expect(s.estimate(0, 0)).toBe(0);
    for (let r = 0; r < 5; r++) for (let i = 0; i < 3; i++) s.add(u32(i), 0, 0);
    expect(s.estimate(0, 0)).toBe(3);
    expect(hllEstimate(10, 0, 0n)).toBe(0n);
  });
});

describe("hll groups, shards and layout", () => {
  test("group index is group & (groups - 1); groups are independent", () => {
    const s = mk(8, 4);
    for (let i = 0; i < 50; i++) s.op("add", [u32(i), u32(1)], 0);
    for (let i = 0; i < 5; i++) s.op("add", [u32(i), u32(6)], 0); // 6 & 3 = 2
    expect(s.op("estimate", [u32(1)], 0)).toBe(s.op("estimate", [u32(5)], 0));
    expect(Number(s.op("estimate", [u32(1)], 0))).toBeGreaterThan(44);
    expect(s.op("estimate", [u32(2)], 0)).toBe(5n);
    expect(s.op("estimate", [u32(0)], 0)).toBe(0n);
  });

  test("map bytes: per group [lock 0][nonzero][deficit][registers]; load restores", () => {
    const s = mk(4, 2);
    s.add(u32(7), 1, 0);
    const b = s.mapBytes("card", 0);
    expect(b.length).toBe(2 * 32);
    const dv = new DataView(b.buffer, 32);
    expect(dv.getUint32(0, true)).toBe(0);
    expect(dv.getUint32(4, true)).toBe(1);
    const r = s.registers(1).find((x) => x !== 0)!;
    expect(dv.getBigUint64(8, true)).toBe(hllTerm(4, 0) - hllTerm(4, r));
    const t = mk(4, 2);
    t.load("card", 0, b);
    expect(t.estimate(1, 0)).toBe(1);
  });

  test("per_cpu shards are separate", () => {
    const s = mk(6, 1, true, 2);
    s.add(u32(1), 0, 1);
    expect([s.estimate(0, 0), s.estimate(0, 1)]).toEqual([0, 1]);
  });
});
