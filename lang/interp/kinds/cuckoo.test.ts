// cuckoo<K, V> interpreter semantics: layout, placement on both backends, in-place update,
// full buckets, displacement paths, the "full" result leaving the table byte-for-byte unchanged,
// remove zeroing its lane, per-CPU shards and control-plane entries.
import { describe, expect, test } from "vitest";
import type { StateDecl } from "../../checked.js";
import { cuckooBlock, cuckooGeometry } from "../../blocks/cuckoo.js";
import { noSpan } from "../../span.js";
import { FLOW5, MAC, U32, U64, U8, type Ty } from "../../types.js";
import { cuckooAlt, cuckooPlace, crc32c, CuckooStore } from "./cuckoo.js";

const decl = (
  capacity: number,
  opts: { key?: Ty; value?: Ty; kicks?: number; perCpu?: boolean; name?: string } = {},
): StateDecl => ({
  name: opts.name ?? "t",
  family: "table",
  kind: "cuckoo",
  key: opts.key ?? U32,
  value: opts.value ?? U32,
  params: { capacity, max_kicks: opts.kicks ?? 8, per_cpu: opts.perCpu ?? false },
  span: noSpan("t.nf"),
});

const u32 = (n: number): Uint8Array => {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n >>> 0, true);
  return b;
};
const readU32 = (b: Uint8Array): number => new DataView(b.buffer, b.byteOffset).getUint32(0, true);

describe("cuckoo layout and hashing", () => {
  test("bucket geometry: key first, value naturally aligned, even stride, 32 + 16 × stride", () => {
    expect(cuckooGeometry(64, MAC, U32)).toMatchObject({
      buckets: 4,
      valueOffset: 8,
      stride: 12,
      bucketBytes: 224,
      keyUnit: 1,
    });
    expect(cuckooGeometry(16, FLOW5, U64)).toMatchObject({
      buckets: 1,
      valueOffset: 16,
      stride: 24,
      bucketBytes: 416,
      keyUnit: 4,
      valueUnit: 8,
    });
    expect(cuckooGeometry(16, U8, U8)).toMatchObject({
      valueOffset: 1,
      stride: 2,
      bucketBytes: 64,
      keyUnit: 1,
    });
    expect(cuckooGeometry(16, U32, U8)).toMatchObject({ valueOffset: 4, stride: 8, bucketBytes: 160 });
  });

  test("crc32c is the Castagnoli CRC without inversion (check value 0xE3069283)", () => {
    expect(~crc32c(0xffffffff, new TextEncoder().encode("123456789")) >>> 0).toBe(0xe3069283);
  });

  test("alt is an involution; signatures are never 0; backends place keys differently", () => {
    let differ = 0;
    for (let i = 0; i < 200; i++) {
      for (const be of ["bpf", "kmod"] as const) {
        const p = cuckooPlace("t", u32(i), 256, be);
        expect(p.sig).toBeGreaterThan(0);
        expect(p.sig).toBeLessThan(65536);
        expect(cuckooAlt(cuckooAlt(p.b1, p.sig, 256), p.sig, 256)).toBe(p.b1);
      }
      if (cuckooPlace("t", u32(i), 256, "bpf").b1 !== cuckooPlace("t", u32(i), 256, "kmod").b1) differ++;
    }
    expect(differ).toBeGreaterThan(150);
  });

  test("registry: capacity a power of two ≥ 16, max_kicks 1..16 defaulting to 8, keys of 1..64 bytes", () => {
    const cap = cuckooBlock.params.find((p) => p.name === "capacity");
    expect(cap).toMatchObject({ kind: "int", min: 16, pow2: true });
    expect(cuckooBlock.params.find((p) => p.name === "max_kicks")).toMatchObject({ min: 1, max: 16 });
    expect(cuckooBlock.derive({ capacity: 1024 })).toEqual({ capacity: 1024, max_kicks: 8, per_cpu: false });
    expect(cuckooBlock.checkKey!({ kind: "bytes", len: 65 })).toMatch(/1\.\.64/);
    expect(cuckooBlock.checkKey!(MAC)).toBeUndefined();
    expect(cuckooBlock.memoryBytes({ capacity: 64 }, MAC, U32)).toBe(4 * 224);
    expect(Object.keys(cuckooBlock.ops)).toEqual(["get", "contains", "insert", "remove"]);
  });
});

describe("cuckoo operations", () => {
  test("insert, get (a live reference), contains, overwrite in place, remove", () => {
    const s = new CuckooStore(decl(64), { cpus: 1, backend: "bpf" });
    expect(s.op("contains", [u32(7)], 0)).toBe(false);
    expect(s.op("get", [u32(7)], 0)).toBeUndefined();
    expect(s.op("insert", [u32(7), u32(100)], 0)).toBe(true);
    const ref = s.op("get", [u32(7)], 0) as Uint8Array;
    expect(readU32(ref)).toBe(100);
    ref.set(u32(5)); // a write through the binding
    expect(readU32(s.op("get", [u32(7)], 0) as Uint8Array)).toBe(5);
    expect(s.op("insert", [u32(7), u32(9)], 0)).toBe(true);
    expect(s.count()).toBe(1);
    expect(readU32(s.op("get", [u32(7)], 0) as Uint8Array)).toBe(9);
    expect(s.op("remove", [u32(7)], 0)).toBe(true);
    expect(s.op("remove", [u32(7)], 0)).toBe(false);
    expect(s.mapBytes("t", 0).every((b) => b === 0)).toBe(true); // sig and slot zeroed
  });

  test("the lowest free lane of b1 is used, and a removed lane is reused", () => {
    const s = new CuckooStore(decl(16), { cpus: 1, backend: "bpf" });
    for (let i = 0; i < 3; i++) expect(s.op("insert", [u32(i), u32(i)], 0)).toBe(true);
    const m = s.mapBytes("t", 0);
    const sigs = [0, 1, 2, 3].map((l) => m[l * 2]! | (m[l * 2 + 1]! << 8));
    expect(sigs[3]).toBe(0);
    expect(sigs.slice(0, 3).every((x) => x !== 0)).toBe(true);
    expect(readU32(m.subarray(32 + 8 * 1, 36 + 8 * 1))).toBe(1); // key 1 in lane 1 (stride 8)
    s.op("remove", [u32(1)], 0);
    s.op("insert", [u32(50), u32(1)], 0);
    expect(readU32(s.mapBytes("t", 0).subarray(40, 44))).toBe(50);
  });

  test("one bucket: 16 entries fit, the 17th is refused and nothing changes", () => {
    for (const backend of ["bpf", "kmod"] as const) {
      const s = new CuckooStore(decl(16), { cpus: 1, backend });
      for (let i = 0; i < 16; i++) expect(s.op("insert", [u32(i), u32(i * 10)], 0)).toBe(true);
      const before = s.mapBytes("t", 0);
      expect(s.op("insert", [u32(99), u32(1)], 0)).toBe(false);
      expect(s.mapBytes("t", 0)).toEqual(before);
      expect(s.op("insert", [u32(3), u32(33)], 0)).toBe(true); // present: still updatable when full
      for (let i = 0; i < 16; i++)
        expect(readU32(s.op("get", [u32(i)], 0) as Uint8Array)).toBe(i === 3 ? 33 : i * 10);
    }
  });

  test("filling to the first failure: displacement happens, every stored key stays reachable, failure is a no-op", () => {
    for (const backend of ["bpf", "kmod"] as const) {
      for (const kicks of [1, 8, 16]) {
        const s = new CuckooStore(decl(256, { kicks }), { cpus: 1, backend });
        const stored: number[] = [];
        let displaced = 0;
        let failed = false;
        for (let k = 1; k < 100_000 && !failed; k++) {
          const before = s.mapBytes("t", 0);
          const ok = s.op("insert", [u32(k * 2654435761), u32(k)], 0);
          const after = s.mapBytes("t", 0);
          if (!ok) {
            expect(after).toEqual(before);
            failed = true;
            break;
          }
          stored.push(k);
          let changedLanes = 0;
          for (let i = 0; i < after.length; i += 2)
            if (i % 224 < 32 && (after[i] !== before[i] || after[i + 1] !== before[i + 1])) changedLanes++;
          if (changedLanes > 1) displaced++;
        }
        expect(failed).toBe(true);
        expect(s.count()).toBe(stored.length);
        for (const k of stored) expect(readU32(s.op("get", [u32(k * 2654435761)], 0) as Uint8Array)).toBe(k);
        expect(displaced).toBeGreaterThan(0);
        // 16-lane buckets with two choices load far beyond single-choice hashing before a failure
        expect(stored.length / 256).toBeGreaterThan(kicks >= 8 ? 0.9 : 0.7);
      }
    }
  });

  test("per-CPU shards are independent; entry() inserts on every CPU", () => {
    const s = new CuckooStore(decl(64, { perCpu: true }), { cpus: 2, backend: "bpf" });
    expect(s.op("insert", [u32(1), u32(11)], 1)).toBe(true);
    expect(s.op("contains", [u32(1)], 0)).toBe(false);
    expect(s.entry(u32(2), u32(22))).toBe(true);
    expect(readU32(s.op("get", [u32(2)], 0) as Uint8Array)).toBe(22);
    expect(readU32(s.op("get", [u32(2)], 1) as Uint8Array)).toBe(22);
    expect(s.count(0)).toBe(1);
    expect(s.count(1)).toBe(2);
    expect(() => s.op("contains", [u32(1)], 2)).toThrow(RangeError);
  });
});
