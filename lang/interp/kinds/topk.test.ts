// topk: the block definition and the Space-Saving semantics of record — hits, replacement of the
// minimum (lowest slot on ties), saturation, n = 0, per-CPU shards, the map layout, load/entry.
import { describe, expect, test } from "vitest";
import type { StateDecl } from "../../checked.js";
import { findBlock } from "../../blocks/index.js";
import { topkLayout } from "../../blocks/topk.js";
import { FLOW5, U32, U64, type Ty } from "../../types.js";
import { writeUint } from "../layout.js";
import { STORES } from "./index.js";
import type { TopkStore } from "./topk.js";

const span = { start: 0, end: 0, line: 1, col: 1, file: "t.nf" } as unknown as StateDecl["span"];
const decl = (k: number, perCpu = false, key: Ty = U32): StateDecl => ({
  name: "top",
  family: "sketch",
  kind: "topk",
  key,
  params: { k, per_cpu: perCpu },
  span,
});
const u32 = (n: number): Uint8Array => {
  const b = new Uint8Array(4);
  writeUint(b, 0, 4, BigInt(n >>> 0), false);
  return b;
};
const mk = (k = 8, perCpu = false, cpus = 2): TopkStore =>
  STORES.topk!(decl(k, perCpu), { cpus, backend: "bpf" }) as TopkStore;
const add = (s: TopkStore, key: number, n: number, cpu = 0) => s.op("add", [u32(key), u32(n)], cpu);
const count = (s: TopkStore, key: number, cpu = 0) => s.op("count", [u32(key)], cpu);
const keys = (s: TopkStore, cpu = 0) =>
  s.entries(cpu).map((e) => [new DataView(e.key.buffer).getUint32(0, true), e.count, e.slot]);

describe("topk block", () => {
  test("parameters, bounds and signatures", () => {
    const b = findBlock("topk")!;
    expect(b.family).toBe("sketch");
    expect(b.params.find((p) => p.name === "k")).toMatchObject({ kind: "int", min: 8, max: 256 });
    expect(b.ops.add!.params.map((p) => [p.name, p.default])).toEqual([
      ["key", undefined],
      ["n", 1n],
    ]);
    expect(b.ops.add!.result).toEqual({ kind: "ty", ty: U32 });
    expect(b.ops.count!.mutates).toBe(false);
    expect(b.derive({ k: 32 })).toEqual({ k: 32, per_cpu: false });
    expect(b.checkKey!(FLOW5)).toBeUndefined();
    expect(b.checkKey!({ kind: "bytes", len: 65 })).toMatch(/1\.\.64/);
    // 8 header + 16 * (4 cnt + 16 key)
    expect(b.memoryBytes({ k: 16 }, FLOW5, undefined)).toBe(8 + 16 * 20);
  });

  test("layout: keys start 8-aligned after cnt[]; size rounds to 8", () => {
    expect(topkLayout(8, U64)).toEqual({ cnt: 8, key: 40, stride: 8, size: 104 });
    expect(topkLayout(9, { kind: "mac" })).toEqual({ cnt: 8, key: 48, stride: 6, size: 104 });
  });
});

describe("topk semantics", () => {
  test("hits add, misses fill empty slots in order, count is 0 when untracked", () => {
    const s = mk();
    expect(add(s, 10, 5)).toBe(5n);
    expect(add(s, 11, 1)).toBe(1n);
    expect(add(s, 10, 2)).toBe(7n);
    expect(count(s, 10)).toBe(7n);
    expect(count(s, 99)).toBe(0n);
    expect(keys(s)).toEqual([
      [10, 7, 0],
      [11, 1, 1],
    ]);
  });

  test("full: a new key replaces the minimum with min + n; ties go to the lowest slot", () => {
    const s = mk(8);
    for (let i = 0; i < 8; i++) add(s, 100 + i, 10 + (i % 3 === 1 ? 0 : 5)); // minima (10) at slots 1, 4, 7
    expect(add(s, 200, 3)).toBe(13n); // slot 1: 10 + 3
    expect(count(s, 101)).toBe(0n); // evicted
    expect(keys(s).find((e) => e[0] === 200)).toEqual([200, 13, 1]);
    expect(add(s, 201, 1)).toBe(11n); // next minimum: slot 4
    expect(keys(s).find((e) => e[0] === 201)).toEqual([201, 11, 4]);
    expect(add(s, 202, 1)).toBe(11n); // slot 7
    expect(add(s, 203, 1)).toBe(12n); // now the minimum is 11 at slot 4 (201)
    expect(count(s, 201)).toBe(0n);
    expect(keys(s).length).toBe(8);
  });

  test("saturation at 2^32 - 1, also for an inherited count; all-saturated replaces slot 0", () => {
    const s = mk(8);
    expect(add(s, 1, 0xffffffff)).toBe(0xffffffffn);
    expect(add(s, 1, 7)).toBe(0xffffffffn);
    for (let i = 2; i <= 8; i++) add(s, i, 0xfffffff0);
    for (let i = 2; i <= 8; i++) add(s, i, 0x10);
    expect(add(s, 9, 1)).toBe(0xffffffffn); // every slot saturated: slot 0 (key 1) goes
    expect(count(s, 1)).toBe(0n);
    expect(keys(s)[0]).toEqual([9, 0xffffffff, 0]);
  });

  test("n = 0 changes nothing and returns the count", () => {
    const s = mk();
    add(s, 5, 4);
    const before = s.mapBytes("top", 0);
    expect(add(s, 5, 0)).toBe(4n);
    expect(add(s, 6, 0)).toBe(0n);
    expect(s.mapBytes("top", 0)).toEqual(before);
  });

  test("map bytes: lock words zero, cnt[] at 8, key[] after it", () => {
    const s = mk(8);
    add(s, 0x01020304, 9);
    add(s, 0x0a0b0c0d, 2);
    const b = s.mapBytes("top", 0);
    const dv = new DataView(b.buffer);
    expect(b.length).toBe(topkLayout(8, U32).size);
    expect(dv.getUint32(0, true)).toBe(0);
    expect([dv.getUint32(8, true), dv.getUint32(12, true), dv.getUint32(16, true)]).toEqual([9, 2, 0]);
    expect([dv.getUint32(40, true), dv.getUint32(44, true)]).toEqual([0x01020304, 0x0a0b0c0d]);
  });

  test("per_cpu shards are independent; shared ignores the CPU", () => {
    const p = mk(8, true, 2);
    add(p, 1, 3, 0);
    add(p, 1, 4, 1);
    expect([count(p, 1, 0), count(p, 1, 1)]).toEqual([3n, 4n]);
    const sh = mk(8, false, 2);
    add(sh, 1, 3, 0);
    add(sh, 1, 4, 1);
    expect(count(sh, 1, 0)).toBe(7n);
    expect(sh.mapBytes("top", 1)).toEqual(sh.mapBytes("top", 0));
  });

  test("entry adds on every shard; load restores mapBytes", () => {
    const p = mk(8, true, 2);
    expect(p.entry(u32(42), u32(6))).toBe(true);
    expect([count(p, 42, 0), count(p, 42, 1)]).toEqual([6n, 6n]);
    const q = mk(8, true, 2);
    q.load("top", 1, p.mapBytes("top", 1));
    expect([count(q, 42, 0), count(q, 42, 1)]).toEqual([0n, 6n]);
  });
});
