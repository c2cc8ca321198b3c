// timer_wheel semantics: scheduling, due order (earliest slot, FIFO within a slot), full wheel,
// horizon refusal, past times, a `now` jumping more than one revolution ahead, node reuse, and the
// exact map bytes (the layout the pure backend's C shares).
import { describe, expect, test } from "vitest";
import type { StateDecl } from "../../checked.js";
import { findBlock } from "../../blocks/index.js";
import { checkSource } from "../../index.js";
import { wheelLayout } from "../../blocks/timer-wheel.js";
import { U32, type Ty } from "../../types.js";
import { readUint, writeUint } from "../layout.js";
import { STORES } from "./index.js";
import { TimerWheelStore } from "./timer-wheel.js";

const span = { start: 0, end: 0, line: 1, col: 1, file: "t.nf" } as unknown as StateDecl["span"];
function wheel(
  slots: number,
  tick: number,
  capacity: number,
  key: Ty = U32,
  perCpu = false,
): TimerWheelStore {
  const d: StateDecl = {
    name: "w",
    family: "queue",
    kind: "timer_wheel",
    key,
    params: { slots, tick_ns: tick, capacity, per_cpu: perCpu },
    span,
  };
  return STORES.timer_wheel!(d, { cpus: 2, backend: "bpf" }) as TimerWheelStore;
}
const u32 = (n: number): Uint8Array => {
  const b = new Uint8Array(4);
  writeUint(b, 0, 4, BigInt(n), false);
  return b;
};
const u64 = (n: bigint | number): Uint8Array => {
  const b = new Uint8Array(8);
  writeUint(b, 0, 8, BigInt(n), false);
  return b;
};
const sched = (w: TimerWheelStore, at: number | bigint, v: number, cpu = 0) =>
  w.op("schedule", [u64(at), u32(v)], cpu);
const pop = (w: TimerWheelStore, now: number | bigint, cpu = 0): number | undefined => {
  const r = w.op("pop_due", [u64(now)], cpu);
  return r instanceof Uint8Array ? Number(readUint(r, 0, 4, false)) : undefined;
};
const drain = (w: TimerWheelStore, now: number | bigint): number[] => {
  const out: number[] = [];
  for (let x = pop(w, now); x !== undefined; x = pop(w, now)) out.push(x);
  return out;
};

describe("timer_wheel block", () => {
  test("registered with its parameters and option<T> pop", () => {
    const b = findBlock("timer_wheel")!;
    expect(b.family).toBe("queue");
    expect(b.params.map((p) => p.name)).toEqual(["slots", "tick_ns", "capacity", "per_cpu"]);
    expect(b.ops.pop_due!.result).toEqual({ kind: "optionK" });
    expect(b.derive({ slots: 64, tick_ns: 1000, capacity: 8 })).toEqual({
      slots: 64,
      tick_ns: 1000,
      capacity: 8,
      per_cpu: false,
    });
  });
  test("layout: cFFS words, 4-byte aligned nodes, memoryBytes = value size", () => {
    const small = wheelLayout({ slots: 64, capacity: 10 }, U32);
    expect(small).toMatchObject({ levels: 1, words: 1, bits: 32, head: 40, tail: 296, nodes: 552, node: 8 });
    expect(small.size).toBe(552 + 80);
    const big = wheelLayout({ slots: 4096, capacity: 1 }, U32);
    expect(big).toMatchObject({ levels: 2, words: 65, head: 32 + 520 });
    expect(findBlock("timer_wheel")!.memoryBytes({ slots: 64, capacity: 10 }, U32, undefined)).toBe(632);
  });
  test("a per_cpu wheel must fit one per-CPU value (32 KiB): NF4103 on the name; shared is fine", () => {
    const src = (extra: string) =>
      `nf t on xdp\nqueue big: timer_wheel<flow5>(slots = 256, tick_ns = 4096, capacity = 2048${extra})\non packet {\n  if let x = big.pop_due(now_ns()) { drop }\n  pass\n}\n`;
    const r = checkSource(src(", per_cpu"), "t.nf");
    expect(r.diagnostics.map((d) => `${d.code}@${d.span?.line}:${d.span?.col}`)).toEqual(["NF4103@2:7"]);
    expect(r.diagnostics[0]!.message).toMatch(
      /needs 43560 bytes in one per-CPU map value; the kernel allows at most 32768/,
    );
    expect(checkSource(src(""), "t.nf").diagnostics).toEqual([]);
  });
});

describe("timer_wheel semantics", () => {
  test("an empty wheel pops none and moves its cursor to now", () => {
    const w = wheel(8, 100, 4);
    expect(pop(w, 12_345)).toBeUndefined();
    expect(w.base()).toBe(123n);
    expect(pop(w, 50)).toBeUndefined(); // time never goes back
    expect(w.base()).toBe(123n);
  });

  test("due order: earliest slot first, FIFO within a slot; nothing before its slot time", () => {
    const w = wheel(8, 100, 8);
    pop(w, 1000); // base = tick 10
    expect([sched(w, 1250, 1), sched(w, 1100, 2), sched(w, 1299, 3), sched(w, 1000, 4)]).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect(w.op("len", [], 0)).toBe(4n);
    expect(pop(w, 1099)).toBe(4);
    expect(pop(w, 1099)).toBeUndefined(); // 1100 is tick 11, not due at tick 10
    expect(drain(w, 1199)).toEqual([2]);
    expect(drain(w, 1299)).toEqual([1, 3]);
    expect(w.op("len", [], 0)).toBe(0n);
  });

  test("past times go to the cursor's slot, behind what is already there", () => {
    const w = wheel(8, 100, 8);
    pop(w, 1000);
    sched(w, 1000, 1);
    sched(w, 5, 2);
    expect(drain(w, 1000)).toEqual([1, 2]);
  });

  test("horizon: at_ns must be below (base + slots)·tick_ns", () => {
    const w = wheel(8, 100, 8);
    pop(w, 1000); // base 10: horizon = tick 18 = 1800 ns
    expect(sched(w, 1799, 1)).toBe(true);
    expect(sched(w, 1800, 2)).toBe(false);
    expect(sched(w, 2n ** 64n - 1n, 3)).toBe(false);
    expect(w.op("len", [], 0)).toBe(1n);
  });

  test("full: capacity elements over all slots, then false; a pop frees a node for reuse", () => {
    const w = wheel(4, 10, 3);
    expect([sched(w, 0, 1), sched(w, 0, 2), sched(w, 35, 3), sched(w, 0, 4)]).toEqual([
      true,
      true,
      true,
      false,
    ]);
    expect(pop(w, 0)).toBe(1);
    expect(sched(w, 10, 5)).toBe(true); // reuses node 0 (free list)
    const b = w.mapBytes("w", 0);
    const L = w.layout;
    expect(readUint(b, 24, 4, false)).toBe(3n); // fresh: 3 nodes ever used
    expect(readUint(b, 20, 4, false)).toBe(0n); // free list empty again
    expect(readUint(b, L.nodes, 4, false)).toBe(5n); // node 0 holds 5
    expect(drain(w, 100)).toEqual([2, 5, 3]);
  });

  test("wrap-around: now jumps more than one revolution ahead; everything is due in time order", () => {
    const w = wheel(8, 100, 16);
    pop(w, 600); // base 6 (slot 6): elements at ticks 6..13 use slots 6,7,0..5
    for (const [at, v] of [
      [1300, 13],
      [600, 6],
      [800, 8],
      [1000, 10],
      [700, 7],
    ] as const)
      expect(sched(w, at, v)).toBe(true);
    expect(pop(w, 750)).toBe(6);
    expect(pop(w, 750)).toBe(7);
    expect(pop(w, 750)).toBeUndefined();
    expect(w.base()).toBe(7n);
    expect([pop(w, 1_000_000), pop(w, 1_000_000), pop(w, 1_000_000)]).toEqual([8, 10, 13]); // 10,000 ticks on: by time
    expect(w.base()).toBe(13n);
    expect(pop(w, 1_000_000)).toBeUndefined();
    expect(w.base()).toBe(10_000n);
    expect(sched(w, 1_000_050, 1)).toBe(true);
    expect(sched(w, 1_000_800, 2)).toBe(false);
  });

  test("bitmap with 2 cFFS levels (4096 slots): root bit per word, cleared when the word empties", () => {
    const w = wheel(4096, 1, 8);
    pop(w, 4000); // base 4000: slot 4000 is in word 62
    sched(w, 4100, 1); // tick 4100 → slot 4 (word 0, after wrapping)
    sched(w, 4001, 2); // slot 4001 (word 62)
    let b = w.mapBytes("w", 0);
    expect(readUint(b, 32, 8, false)).toBe((1n << 62n) | 1n);
    expect(drain(w, 4100)).toEqual([2, 1]);
    b = w.mapBytes("w", 0);
    expect(readUint(b, 32, 8, false)).toBe(0n);
  });

  test("per_cpu: one wheel per CPU", () => {
    const w = wheel(8, 10, 4, U32, true);
    sched(w, 0, 7, 1);
    expect(w.op("len", [], 0)).toBe(0n);
    expect(w.op("len", [], 1)).toBe(1n);
    expect(pop(w, 0, 0)).toBeUndefined();
    expect(pop(w, 0, 1)).toBe(7);
  });
});
