// count_sketch: the block definition, and the semantics of record against hand-computed values of
// runtime-kmod's definition (signs from fmix64(h), median with floor for even rows, clamp to 0).
import type { KindName } from "../../blocks/index.js";
import { describe, expect, test } from "vitest";
import type { StateDecl } from "../../checked.js";
import { findBlock } from "../../blocks/index.js";
import { dhIndex, nfHash64, structureSeed } from "../../hash.js";
import { U32, type Ty } from "../../types.js";
import { writeUint } from "../layout.js";
import { CountSketchStore, csMedian, fmix64 } from "./count-sketch.js";
import { STORES } from "./index.js";

const span = { start: 0, end: 0, line: 1, col: 1, file: "t.nf" } as unknown as StateDecl["span"];
function csDecl(kind: KindName, name: string, params: StateDecl["params"], key: Ty = U32): StateDecl {
  return { name, family: "sketch", kind, key, params, span };
}
const u32 = (n: number): Uint8Array => {
  const b = new Uint8Array(4);
  writeUint(b, 0, 4, BigInt(n >>> 0), false);
  return b;
};
function cs(rows: number, width: number, perCpu = false, cpus = 2): CountSketchStore {
  return STORES.count_sketch!(csDecl("count_sketch", "cs", { rows, width, per_cpu: perCpu }), {
    cpus,
    backend: "bpf",
  }) as CountSketchStore;
}
const add = (s: CountSketchStore, k: number, n: number, cpu = 0) => s.op("add", [u32(k), u32(n)], cpu);
const est = (s: CountSketchStore, k: number, cpu = 0) => s.op("estimate", [u32(k)], cpu);

describe("count_sketch block", () => {
  test("parameters, defaults and result types", () => {
    const b = findBlock("count_sketch")!;
    expect(b.family).toBe("sketch");
    expect(b.params.map((p) => p.name)).toEqual(["rows", "width", "per_cpu"]);
    expect(b.ops.add!.params[1]!.default).toBe(1n);
    expect(b.ops.estimate!.result).toEqual({ kind: "ty", ty: U32 });
    expect(b.derive({ rows: 5, width: 1024, per_cpu: false })).toEqual({
      rows: 5,
      width: 1024,
      per_cpu: false,
    });
    expect(b.memoryBytes({ rows: 5, width: 1024 }, U32, undefined)).toBe(5 * 1024 * 4);
  });
});

describe("count_sketch semantics", () => {
  test("cells get sign_i * n at nf_dh_index, sign_i = bit i of fmix64(h)", () => {
    const s = cs(5, 64);
    add(s, 7, 3);
    const h = nfHash64(u32(7), structureSeed("cs"));
    const g = fmix64(h);
    const cells = s.store.cells(0);
    let nonzero = 0;
    for (let i = 0; i < 5; i++) {
      const want = (g >> BigInt(i)) & 1n ? -3 : 3;
      expect(cells[i * 64 + dhIndex(h, i, 63)]).toBe(want);
    }
    for (const c of cells) if (c !== 0) nonzero++;
    expect(nonzero).toBe(5);
    expect(est(s, 7)).toBe(3n);
    expect(s.mapBytes("cs", 0).length).toBe(5 * 64 * 4);
  });
  test("median: odd middle, even floor of the middle mean (negative too)", () => {
    expect(csMedian([5, -1, 3])).toBe(3);
    expect(csMedian([4, 1, 2, 8])).toBe(3);
    expect(csMedian([-3, -2])).toBe(-3); // floor(-2.5)
    expect(csMedian([2 ** 31, -(2 ** 31)])).toBe(0);
  });
  test("a negative median reads 0; cells wrap modulo 2^32", () => {
    const s = cs(1, 1); // one cell: every key shares it
    const g = fmix64(nfHash64(u32(1), structureSeed("cs")));
    const sign1 = g & 1n ? -1 : 1;
    add(s, 1, 0xffffffff); // sign * (2^32 - 1) wraps to sign * -1
    expect(s.store.cells(0)[0]).toBe(-sign1);
    expect(est(s, 1)).toBe(0n); // median -1 → clamped
    add(s, 1, 2);
    expect(est(s, 1)).toBe(1n);
  });
  test("the largest estimate is 2^31 (sign -1 times a cell of -2^31)", () => {
    // find a key whose row-0 sign is -1
    let k = 0;
    while (!(fmix64(nfHash64(u32(k), structureSeed("cs"))) & 1n)) k++;
    const s = cs(1, 1);
    add(s, k, 0x80000000); // -1 * 2^31 = -2^31 as __s32
    expect(s.store.cells(0)[0]).toBe(-(2 ** 31));
    expect(est(s, k)).toBe(2n ** 31n);
  });
  test("per_cpu shards: datapath sees its CPU; the control plane sums shards", () => {
    const s = cs(3, 256, true, 2);
    add(s, 9, 10, 0);
    add(s, 9, 5, 1);
    expect(est(s, 9, 0)).toBe(10n);
    expect(est(s, 9, 1)).toBe(5n);
    expect(s.estimate(u32(9))).toBe(15n); // merged
    const back = cs(3, 256, true, 2);
    back.load("cs", 1, s.mapBytes("cs", 1));
    expect(est(back, 9, 1)).toBe(5n);
    expect(est(back, 9, 0)).toBe(0n);
    expect(s.mapBytes("cs", 1)).not.toEqual(s.mapBytes("cs", 0));
  });
  test("shared: one shard for every CPU", () => {
    const s = cs(3, 256, false, 2);
    add(s, 9, 10, 0);
    add(s, 9, 5, 1);
    expect(est(s, 9, 1)).toBe(15n);
    expect(s.mapBytes("cs", 1)).toEqual(s.mapBytes("cs", 0));
  });
  test("collisions in a narrow sketch cancel in expectation, never exceed exact sums per cell", () => {
    const s = cs(5, 4);
    for (let k = 0; k < 50; k++) add(s, k, k === 3 ? 100 : 1);
    const e = Number(est(s, 3));
    expect(e).toBeGreaterThanOrEqual(100 - 49);
    expect(e).toBeLessThanOrEqual(100 + 49);
    expect(() => s.op("insert", [u32(1)], 0)).toThrow(/no operation/);
  });
});
