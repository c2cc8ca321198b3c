// ordered semantics: the block definition, sorted order (numeric and byte keys), overwrite in
// place, full arena, node reuse through the free list, range scans, per-CPU shards, the search
// budget, and the exact map bytes (the layout the pure backend's C shares).
import { describe, expect, test } from "vitest";
import type { StateDecl } from "../../checked.js";
import { findBlock } from "../../blocks/index.js";
import { orderedLayout, orderedLevels, ORD_FREE, ORD_USED } from "../../blocks/ordered.js";
import { IP4, U16, U32, U64, type Ty } from "../../types.js";
import { readUint, writeUint } from "../layout.js";
import { STORES } from "./index.js";
import { OrderedStore } from "./ordered.js";

const span = { start: 0, end: 0, line: 1, col: 1, file: "t.nf" } as unknown as StateDecl["span"];
function ord(capacity: number, key: Ty = U32, value: Ty = U64, perCpu = false, name = "db"): OrderedStore {
  const d: StateDecl = {
    name,
    family: "table",
    kind: "ordered",
    key,
    value,
    params: { capacity, per_cpu: perCpu },
    span,
  };
  return STORES.ordered!(d, { cpus: 2, backend: "bpf" }) as OrderedStore;
}
const le = (n: number | bigint, bytes: number): Uint8Array => {
  const b = new Uint8Array(bytes);
  writeUint(b, 0, bytes, BigInt(n), false);
  return b;
};
const k32 = (n: number) => le(n, 4);
const v64 = (n: number) => le(n, 8);
const num = (b: Uint8Array): number => Number(readUint(b, 0, b.length, false));
const ins = (s: OrderedStore, k: number, v: number, cpu = 0) => s.op("insert", [k32(k), v64(v)], cpu);
const get = (s: OrderedStore, k: number, cpu = 0): number | undefined => {
  const r = s.op("get", [k32(k)], cpu);
  return r instanceof Uint8Array ? num(r) : undefined;
};
const scan = (s: OrderedStore, op: "first_ge" | "next", k: number): number | undefined => {
  const r = s.op(op, [k32(k)], 0);
  return r instanceof Uint8Array ? num(r) : undefined;
};

describe("ordered block", () => {
  test("registered with capacity bounds, option<V> get and option<K> scans", () => {
    const b = findBlock("ordered")!;
    expect(b.family).toBe("table");
    expect(b.params.find((p) => p.name === "capacity")).toMatchObject({ min: 1, max: 65535 });
    expect(b.ops.get!.result).toEqual({ kind: "optionV" });
    expect(b.ops.first_ge!.result).toEqual({ kind: "optionK" });
    expect(b.ops.next!.result).toEqual({ kind: "optionK" });
    expect(b.checkKey!(U64)).toBeUndefined();
    expect(b.checkKey!(IP4)).toBeUndefined();
    expect(b.checkKey!({ kind: "bytes", len: 17 })).toMatch(/16 bytes/);
  });
  test("levels and layout", () => {
    expect([1, 2, 3, 4, 5, 1024, 1025, 65535].map(orderedLevels)).toEqual([1, 1, 2, 2, 3, 10, 11, 16]);
    const l = orderedLayout({ capacity: 1024 }, U32, U64);
    // key u32 at 0, value u64 at 8, next u16[10] at 16, node 40 bytes; 8 + 1025 nodes.
    expect(l).toMatchObject({
      levels: 10,
      moves: 32,
      valueOff: 8,
      nextOff: 16,
      node: 40,
      size: 16 + 1025 * 40,
    });
    expect(findBlock("ordered")!.memoryBytes({ capacity: 1024 }, U32, U64)).toBe(l.size);
  });
});

describe("ordered semantics", () => {
  test("sorted order regardless of insertion order; get, contains, overwrite in place", () => {
    const s = ord(64);
    for (const k of [50, 7, 1000, 3, 0xffffffff, 42]) expect(ins(s, k, k * 2)).toBe(true);
    expect(s.keys().map(num)).toEqual([3, 7, 42, 50, 1000, 0xffffffff]);
    expect(get(s, 42)).toBe(84);
    expect(get(s, 43)).toBeUndefined();
    expect(s.op("contains", [k32(1000)], 0)).toBe(true);
    expect(s.op("contains", [k32(999)], 0)).toBe(false);
    expect(ins(s, 42, 1)).toBe(true);
    expect(get(s, 42)).toBe(1);
    expect(s.value()[ORD_USED]).toBe(6); // the overwrite took no node
    // get is a live reference: writes through it persist.
    const r = s.op("get", [k32(7)], 0) as Uint8Array;
    r[0] = 99;
    expect(get(s, 7)).toBe(99);
  });

  test("integer keys order numerically (little-endian bytes), byte keys lexicographically", () => {
    const n = ord(16, U16);
    n.op("insert", [le(0x0100, 2), v64(1)], 0);
    n.op("insert", [le(0x00ff, 2), v64(1)], 0);
    expect(n.keys().map(num)).toEqual([0x00ff, 0x0100]);
    const a = ord(16, IP4);
    const ip = (x: number[]) => Uint8Array.from(x);
    for (const k of [
      [10, 0, 0, 2],
      [9, 255, 255, 255],
      [10, 0, 0, 1],
    ])
      a.op("insert", [ip(k), v64(0)], 0);
    expect(a.keys().map((k) => [...k].join("."))).toEqual(["9.255.255.255", "10.0.0.1", "10.0.0.2"]);
  });

  test("full: the (capacity+1)th key is refused, overwrite still works, remove frees a node", () => {
    const s = ord(4);
    for (let k = 1; k <= 4; k++) expect(ins(s, k * 10, k)).toBe(true);
    expect(ins(s, 25, 0)).toBe(false);
    expect(s.op("contains", [k32(25)], 0)).toBe(false);
    expect(ins(s, 20, 7)).toBe(true);
    expect(s.op("remove", [k32(30)], 0)).toBe(true);
    expect(s.op("remove", [k32(30)], 0)).toBe(false);
    expect(s.op("remove", [k32(31)], 0)).toBe(false);
    expect(readUint(s.value(), ORD_FREE, 2, false)).toBe(3n); // node 3 (key 30) heads the free list
    expect(ins(s, 25, 5)).toBe(true); // reuses node 3
    expect(readUint(s.value(), ORD_FREE, 2, false)).toBe(0n);
    expect(s.keys().map(num)).toEqual([10, 20, 25, 40]);
    expect(ins(s, 26, 0)).toBe(false);
  });

  test("empty: every read is none/false", () => {
    const s = ord(8);
    expect(get(s, 1)).toBeUndefined();
    expect(scan(s, "first_ge", 0)).toBeUndefined();
    expect(scan(s, "next", 0)).toBeUndefined();
    expect(s.op("remove", [k32(1)], 0)).toBe(false);
  });

  test("range scans: first_ge and next walk the keys in order, none past the end", () => {
    const s = ord(32);
    for (const k of [5, 10, 15, 20]) ins(s, k, k);
    expect(scan(s, "first_ge", 0)).toBe(5);
    expect(scan(s, "first_ge", 10)).toBe(10);
    expect(scan(s, "first_ge", 11)).toBe(15);
    expect(scan(s, "next", 10)).toBe(15);
    expect(scan(s, "next", 11)).toBe(15);
    expect(scan(s, "next", 20)).toBeUndefined();
    expect(scan(s, "first_ge", 21)).toBeUndefined();
    const walk: number[] = [];
    for (let k = scan(s, "first_ge", 6); k !== undefined && walk.length < 10; k = scan(s, "next", k))
      walk.push(k);
    expect(walk).toEqual([10, 15, 20]);
  });

  test("the list's links are a function of the key set: every level is sorted, levels are from the hash", () => {
    const s = ord(256);
    const keys = Array.from({ length: 200 }, (_, i) => (i * 7919) % 100003);
    keys.forEach((k, i) => ins(s, k, i));
    for (const k of keys.filter((_, i) => i % 3 === 0)) expect(s.op("remove", [k32(k)], 0)).toBe(true);
    const b = s.value();
    const L = s.layout;
    const nodeOf = new Map<number, number>();
    for (let i = 1; i <= L.capacity; i++) {
      const k = num(b.subarray(L.nodes + i * L.node, L.nodes + i * L.node + 4));
      nodeOf.set(i, k);
    }
    const rd = (i: number, l: number) =>
      Number(readUint(b, L.nodes + i * L.node + L.nextOff + 2 * l, 2, false));
    const live = s.keys().map(num);
    expect(live).toEqual([...live].sort((x, y) => x - y));
    for (let l = 0; l < L.levels; l++) {
      const seen: number[] = [];
      for (let c = rd(0, l); c !== 0; c = rd(c, l)) seen.push(nodeOf.get(c)!);
      expect(seen).toEqual(live.filter((k) => s.level(k32(k)) > l));
    }
  });

  test("per_cpu: each CPU has its own arena; entry() fills every CPU", () => {
    const s = ord(8, U32, U64, true);
    ins(s, 1, 1, 1);
    expect(get(s, 1, 1)).toBe(1);
    expect(get(s, 1, 0)).toBeUndefined();
    expect(s.entry!(k32(2), v64(2))).toBe(true);
    expect(get(s, 2, 0)).toBe(2);
    expect(get(s, 2, 1)).toBe(2);
    expect(s.mapBytes("db", 0)).not.toEqual(s.mapBytes("db", 1));
  });

  test("search budget: more than 32 moves on one level gives up", () => {
    // Keys whose hash has bit 0 clear have level 1 only: with nothing above them, a search walks
    // them one by one on level 0, so the 34th such key (33 moves) is out of reach.
    const s = ord(1024);
    const L = s.layout;
    expect(L.moves).toBe(32);
    const flat: number[] = [];
    for (let k = 0; flat.length < 40; k++) if (s.level(k32(k)) === 1) flat.push(k);
    const accepted = flat.filter((k) => ins(s, k, 1)).length;
    expect(accepted).toBe(L.moves + 1); // the 34th insert needs 33 moves
    const last = flat[accepted - 1]!;
    expect(get(s, flat[0]!)).toBe(1);
    expect(get(s, last)).toBe(1); // 32 moves
    expect(s.op("contains", [k32(flat[accepted]!)], 0)).toBe(false);
    expect(scan(s, "first_ge", last + 1)).toBeUndefined(); // gives up (33 moves)
    expect(scan(s, "next", last)).toBeUndefined(); // the largest key: nothing after it
    expect(s.op("remove", [k32(last)], 0)).toBe(true);
    expect(ins(s, flat[accepted]!, 1)).toBe(true); // room again
    // A key with a higher level breaks the run: keys after it are reachable again.
    const tall = Array.from({ length: 200 }, (_, i) => last + 1000 + i).find((k) => s.level(k32(k)) > 1)!;
    expect(ins(s, tall, 1)).toBe(false); // still needs 33 moves on level 0 to be placed
  });

  test("map bytes: head links, key/value/next of a node, used counter", () => {
    const s = ord(2);
    ins(s, 7, 0x1122);
    const b = s.mapBytes("db", 0);
    const L = s.layout; // levels 1, node: u32 key, u64 value @8, u16 next @16 → 24 bytes
    expect(L.node).toBe(24);
    expect(b.length).toBe(16 + 3 * 24);
    expect(readUint(b, ORD_USED, 2, false)).toBe(1n);
    expect(readUint(b, L.nodes + L.nextOff, 2, false)).toBe(1n); // head → node 1
    expect(readUint(b, L.nodes + L.node, 4, false)).toBe(7n);
    expect(readUint(b, L.nodes + L.node + 8, 8, false)).toBe(0x1122n);
    expect(() => s.mapBytes("other", 0)).toThrow();
  });
});

describe("ordered: kmod get copies, load() restores a snapshot", () => {
  const kmod = (perCpu = false): OrderedStore => {
    const d: StateDecl = {
      name: "db",
      family: "table",
      kind: "ordered",
      key: U32,
      value: U64,
      params: { capacity: 8, per_cpu: perCpu },
      span,
    };
    return STORES.ordered!(d, { cpus: 2, backend: "kmod" }) as OrderedStore;
  };
  test("bpf: a write through the get result persists; kmod: it is a copy and does not", () => {
    for (const [s, after] of [
      [ord(8), 99],
      [kmod(), 5],
    ] as const) {
      ins(s, 3, 5);
      const r = s.op("get", [k32(3)], 0) as Uint8Array;
      r.set(v64(99));
      expect(get(s, 3)).toBe(after);
    }
  });
  test("kmod keeps every other result: full, give-up budget and scans are the pure ones", () => {
    const a = ord(8);
    const b = kmod();
    const keys = [50, 10, 40, 20, 30, 60, 70, 80, 90, 5];
    expect(keys.map((k) => ins(b, k, k))).toEqual(keys.map((k) => ins(a, k, k)));
    expect(keys.map((k) => ins(b, k, k)).filter((x) => !x)).toHaveLength(2); // 9th and 10th: full
    expect(b.mapBytes("db", 0)).toEqual(a.mapBytes("db", 0));
    expect(scan(b, "first_ge", 41)).toBe(50);
    expect(scan(b, "next", 50)).toBe(60);
  });
  test("load(mapBytes) reproduces every read; other maps are ignored; a wrong size throws", () => {
    const s = ord(16, U32, U64, true);
    for (const k of [9, 3, 7, 1]) ins(s, k, k * 10, 1);
    s.op("remove", [k32(7)], 1);
    const t = ord(16, U32, U64, true);
    t.load("db", 1, s.mapBytes("db", 1));
    t.load("db_other", 1, new Uint8Array(3));
    expect(t.keys(1).map(num)).toEqual([1, 3, 9]);
    expect(get(t, 9, 1)).toBe(90);
    expect(get(t, 9, 0)).toBeUndefined(); // CPU 0's arena untouched
    expect(t.op("contains", [k32(7)], 1)).toBe(false);
    expect(ins(t, 4, 40, 1)).toBe(true); // the free list came along: node 3 (7's) is reused
    expect(t.mapBytes("db", 1)).not.toEqual(s.mapBytes("db", 1));
    expect(readUint(t.mapBytes("db", 1), ORD_FREE, 2, false)).toBe(0n);
    expect(() => t.load("db", 0, new Uint8Array(5))).toThrow(/5 bytes loaded/);
  });
});

test("the twin of a kmod object ignores control-plane entries (its kernel container cannot be written)", () => {
  const d: StateDecl = {
    name: "db",
    family: "table",
    kind: "ordered",
    key: U32,
    value: U64,
    params: { capacity: 8, per_cpu: false },
    span,
  };
  const s = STORES.ordered!(d, { cpus: 1, backend: "kmod" }) as OrderedStore;
  expect(s.entry!(k32(1), v64(1))).toBe(true);
  expect(get(s, 1)).toBeUndefined();
  expect(ins(s, 1, 2)).toBe(true); // the datapath still inserts
  expect(get(s, 1)).toBe(2);
});
