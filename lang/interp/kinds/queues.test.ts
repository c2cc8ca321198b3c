// fifo and pq semantics: block definitions, FIFO order, ring wrap-around, full and empty results,
// pq order (lowest rank first, FIFO within a rank), rank out of range, the shared capacity across
// ranks, slot reuse through the free stack, two-level cFFS ranks, per-CPU shards, and the exact
// map bytes (the layout the pure backend's C shares).
import type { KindName } from "../../blocks/index.js";
import { describe, expect, test } from "vitest";
import type { StateDecl } from "../../checked.js";
import { findBlock } from "../../blocks/index.js";
import { fifoLayout } from "../../blocks/fifo.js";
import { pqLayout } from "../../blocks/pq.js";
import { U32, U64, type Ty } from "../../types.js";
import { readUint, writeUint } from "../layout.js";
import { STORES } from "./index.js";
import type { FifoStore } from "./fifo.js";
import type { PqStore } from "./pq.js";

const span = { start: 0, end: 0, line: 1, col: 1, file: "t.nf" } as unknown as StateDecl["span"];
const decl = (kind: KindName, params: StateDecl["params"], key: Ty = U32): StateDecl => ({
  name: "q",
  family: "queue",
  kind,
  key,
  params,
  span,
});
const fifo = (capacity: number, perCpu = false): FifoStore =>
  STORES.fifo!(decl("fifo", { capacity, per_cpu: perCpu }), { cpus: 2, backend: "bpf" }) as FifoStore;
const pq = (priorities: number, capacity: number, perCpu = false): PqStore =>
  STORES.pq!(decl("pq", { priorities, capacity, per_cpu: perCpu }), { cpus: 2, backend: "bpf" }) as PqStore;
const u32 = (n: number): Uint8Array => {
  const b = new Uint8Array(4);
  writeUint(b, 0, 4, BigInt(n), false);
  return b;
};
const num = (r: unknown): number | undefined =>
  r instanceof Uint8Array ? Number(readUint(r, 0, 4, false)) : undefined;

describe("block definitions", () => {
  test("fifo and pq are queues over <T> with OPTION_K results and bounded parameters", () => {
    const f = findBlock("fifo")!;
    const p = findBlock("pq")!;
    expect(f.family).toBe("queue");
    expect(p.typeParams).toEqual(["K"]);
    expect(f.ops.pop!.result).toEqual({ kind: "optionK" });
    expect(p.ops.pop_min!.result).toEqual({ kind: "optionK" });
    expect(p.ops.push!.params.map((x) => x.name)).toEqual(["rank", "v"]);
    expect(p.params.find((x) => x.name === "priorities")).toMatchObject({ min: 1, max: 4096 });
    expect(f.checkKey!({ kind: "bytes", len: 65 })).toBe("a type of 1..64 bytes");
    expect(f.checkKey!(U64)).toBeUndefined();
  });
  test("layouts: the C struct's offsets and sizes", () => {
    expect(fifoLayout({ capacity: 3 }, U64)).toMatchObject({ elems: 16, size: 40 });
    // 16 + 4*100 head + 4*100 tail + 4*7 next = 844 → bm at 848, 65 words, elems at 1368
    expect(
      pqLayout(
        { priorities: 100, capacity: 7 },
        { kind: "struct", name: "f", size: 16, align: 4, fields: [] },
      ),
    ).toMatchObject({
      levels: 2,
      words: 65,
      bm: 848,
      elems: 1368,
      size: 1480,
    });
    expect(pqLayout({ priorities: 64, capacity: 1 }, U32)).toMatchObject({
      levels: 1,
      words: 1,
      bm: 536,
      size: 552,
    });
    expect(
      findBlock("pq")!.memoryBytes(
        { priorities: 100, capacity: 7 },
        { kind: "struct", name: "f", size: 16, align: 4, fields: [] },
        undefined,
      ),
    ).toBe(1480);
  });
});

describe("fifo", () => {
  test("FIFO order, full, empty, wrap-around", () => {
    const q = fifo(3);
    expect(q.op("pop", [], 0)).toBeUndefined();
    expect([1, 2, 3].map((v) => q.op("push", [u32(v)], 0))).toEqual([true, true, true]);
    expect(q.op("push", [u32(4)], 0)).toBe(false); // full: nothing changes
    expect(q.op("len", [], 0)).toBe(3n);
    expect(num(q.op("pop", [], 0))).toBe(1);
    expect(q.op("push", [u32(5)], 0)).toBe(true); // wraps into slot 0
    expect(q.elements().map((b) => num(b))).toEqual([2, 3, 5]);
    expect([0, 1, 2, 3].map(() => num(q.op("pop", [], 0)))).toEqual([2, 3, 5, undefined]);
    expect(q.op("len", [], 0)).toBe(0n);
  });
  test("map bytes: head, len and the slots (a popped slot keeps its bytes)", () => {
    const q = fifo(2);
    q.op("push", [u32(0xaa)], 0);
    q.op("push", [u32(0xbb)], 0);
    q.op("pop", [], 0);
    const b = q.mapBytes("q", 0);
    expect([...b]).toEqual([0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0xaa, 0, 0, 0, 0xbb, 0, 0, 0]);
    const r = fifo(2);
    r.load("q", 0, b);
    expect(num(r.op("pop", [], 0))).toBe(0xbb);
  });
  test("per_cpu: one queue per CPU", () => {
    const q = fifo(1, true);
    expect(q.op("push", [u32(7)], 0)).toBe(true);
    expect(q.op("push", [u32(8)], 1)).toBe(true);
    expect(q.op("push", [u32(9)], 0)).toBe(false);
    expect(num(q.op("pop", [], 1))).toBe(8);
    expect(q.op("pop", [], 1)).toBeUndefined();
  });
});

describe("pq", () => {
  test("lowest rank first, FIFO within a rank", () => {
    const q = pq(64, 8);
    for (const [r, v] of [
      [10, 1],
      [2, 2],
      [10, 3],
      [2, 4],
      [63, 5],
      [0, 6],
    ] as const)
      expect(q.op("push", [u32(r), u32(v)], 0)).toBe(true);
    expect([...Array(7)].map(() => num(q.op("pop_min", [], 0)))).toEqual([6, 2, 4, 1, 3, 5, undefined]);
  });
  test("rank out of range and the shared capacity are refusals that change nothing", () => {
    const q = pq(4, 2);
    const before = q.mapBytes("q", 0);
    expect(q.op("push", [u32(4), u32(1)], 0)).toBe(false);
    expect(q.mapBytes("q", 0)).toEqual(before);
    expect(q.op("push", [u32(3), u32(1)], 0)).toBe(true);
    expect(q.op("push", [u32(0), u32(2)], 0)).toBe(true);
    const full = q.mapBytes("q", 0);
    expect(q.op("push", [u32(1), u32(3)], 0)).toBe(false); // capacity counts all ranks
    expect(q.mapBytes("q", 0)).toEqual(full);
    expect(q.op("len", [], 0)).toBe(2n);
  });
  test("slots are reused through the free stack; the cFFS words stay exact", () => {
    const q = pq(100, 3); // two levels
    q.op("push", [u32(99), u32(1)], 0);
    q.op("push", [u32(70), u32(2)], 0);
    q.op("push", [u32(70), u32(3)], 0);
    const L = q.layout;
    const word = (i: number) => readUint(q.value(), L.bm + 8 * i, 8, false);
    expect(word(0)).toBe(0b10n); // root: only leaf word 1 (ranks 64..127) is non-zero
    expect(word(2)).toBe((1n << 6n) | (1n << 35n)); // ranks 70 and 99
    expect(num(q.op("pop_min", [], 0))).toBe(2); // slot 1 freed
    expect(readUint(q.value(), L.free, 4, false)).toBe(2n);
    expect(q.op("push", [u32(5), u32(4)], 0)).toBe(true); // takes slot 1 again
    expect(readUint(q.value(), L.free, 4, false)).toBe(0n);
    expect(readUint(q.value(), L.fresh, 4, false)).toBe(3n);
    expect(word(0)).toBe(0b11n);
    expect(word(1)).toBe(1n << 5n);
    expect([...Array(4)].map(() => num(q.op("pop_min", [], 0)))).toEqual([4, 3, 1, undefined]);
    expect([0, 1, 2].map(word)).toEqual([0n, 0n, 0n]);
    expect(q.ranks().size).toBe(0);
  });
  test("long alternating runs keep order (the pool wraps through every slot)", () => {
    const q = pq(8, 4);
    const model: [number, number][] = [];
    let seq = 0;
    for (let i = 0; i < 200; i++) {
      const r = (i * 5) % 8;
      const ok = q.op("push", [u32(r), u32(seq)], 0);
      expect(ok).toBe(model.length < 4);
      if (ok) model.push([r, seq]);
      seq++;
      if (i % 3 === 0) {
        model.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
        expect(num(q.op("pop_min", [], 0))).toBe(model.shift()?.[1]);
      }
    }
  });
  test("per_cpu shards are independent", () => {
    const q = pq(4, 1, true);
    expect(q.op("push", [u32(1), u32(1)], 0)).toBe(true);
    expect(q.op("push", [u32(1), u32(2)], 1)).toBe(true);
    expect(num(q.op("pop_min", [], 1))).toBe(2);
    expect(num(q.op("pop_min", [], 0))).toBe(1);
  });
});
