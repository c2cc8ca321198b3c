// Cuckoo lookups at 25/50/75/100 % load for `npm run bench` (compare.ts CASES, `prefill`): the
// generated program (bench/nf/cuckoo_lookup.nf, nf_hash64 placement) and the hand-written one
// (bench/handwritten/cuckoo.bpf.c, seeded-jhash placement) each get their table REALLY filled to
// the load: keys are the trace's flows (every other flow the packets use, in order of first use —
// the others' packets are misses —, then flows no packet uses, then synthetic 5-tuples if the
// trace has too few), inserted one by one by the
// interpreter's cuckoo semantics (lang/interp/kinds/cuckoo.ts: free lane in b1, b2, else a
// displacement path of ≤ 8 moves; a refused key is skipped) with each program's placement,
// until load × capacity keys are in. The buckets are then written into the kernel map and read
// back: the fill reported is counted from the kernel's map, not from the model.
import { checkSource } from "../lang/index.js";
import type { StateDecl } from "../lang/checked.js";
import { CuckooStore, type Placement } from "../lang/interp/kinds/cuckoo.js";
import type { Flow, Trace } from "../compiler/bench/trace.js";
import type { LoadedProgram } from "../compiler/bench/measure.js";
import type { BenchCase } from "./case.js";

export const CUCKOO_CAPACITY = 65536;
export const CUCKOO_BUCKETS = CUCKOO_CAPACITY / 16;
export const CUCKOO_LOADS = [25, 50, 75, 100] as const;

/** The flow5 key bytes (= the hand-written hw_tuple: src, dst, ports as on the wire, proto u32 LE). */
export function flowKey(f: Flow): Uint8Array {
  const k = new Uint8Array(16);
  k.set(f.src, 0);
  k.set(f.dst, 4);
  k[8] = f.sport >> 8;
  k[9] = f.sport & 0xff;
  k[10] = f.dport >> 8;
  k[11] = f.dport & 0xff;
  k[12] = f.proto;
  return k;
}

const rol = (x: number, k: number): number => ((x << k) | (x >>> (32 - k))) >>> 0;

/** hw_jhash_tuple (bench/handwritten/hw.h): jhash2 of the key's four little-endian u32 words. */
export function hwJhash(key: Uint8Array, seed: number): number {
  const w = (i: number) => new DataView(key.buffer, key.byteOffset).getUint32(i * 4, true);
  let a = (0xdeadbeef + (4 << 2) + seed) >>> 0;
  let b = a;
  let c = a;
  a = (a + w(0)) >>> 0;
  b = (b + w(1)) >>> 0;
  c = (c + w(2)) >>> 0;
  // mix
  a = (a - c) >>> 0;
  a = (a ^ rol(c, 4)) >>> 0;
  c = (c + b) >>> 0;
  b = (b - a) >>> 0;
  b = (b ^ rol(a, 6)) >>> 0;
  a = (a + c) >>> 0;
  c = (c - b) >>> 0;
  c = (c ^ rol(b, 8)) >>> 0;
  b = (b + a) >>> 0;
  a = (a - c) >>> 0;
  a = (a ^ rol(c, 16)) >>> 0;
  c = (c + b) >>> 0;
  b = (b - a) >>> 0;
  b = (b ^ rol(a, 19)) >>> 0;
  a = (a + c) >>> 0;
  c = (c - b) >>> 0;
  c = (c ^ rol(b, 4)) >>> 0;
  b = (b + a) >>> 0;
  a = (a + w(3)) >>> 0;
  // final
  c = (c ^ b) >>> 0;
  c = (c - rol(b, 14)) >>> 0;
  a = (a ^ c) >>> 0;
  a = (a - rol(c, 11)) >>> 0;
  b = (b ^ a) >>> 0;
  b = (b - rol(a, 25)) >>> 0;
  c = (c ^ b) >>> 0;
  c = (c - rol(b, 16)) >>> 0;
  a = (a ^ c) >>> 0;
  a = (a - rol(c, 4)) >>> 0;
  b = (b ^ a) >>> 0;
  b = (b - rol(a, 14)) >>> 0;
  c = (c ^ b) >>> 0;
  c = (c - rol(b, 24)) >>> 0;
  return c >>> 0;
}

/** The hand-written program's placement: h = jhash(tuple, HW_SEED(0)); b1 = h & mask; sig = h >> 16 (0 → 1). */
export function hwPlace(key: Uint8Array): Placement {
  const h = hwJhash(key, 0x9e3779b1);
  const sig = h >>> 16;
  return { b1: h & (CUCKOO_BUCKETS - 1), sig: sig === 0 ? 1 : sig };
}

function cuckooDecl(): StateDecl {
  const src = `nf x on xdp\ntable t: cuckoo<flow5, u32>(capacity = ${CUCKOO_CAPACITY})\non packet { pass }\n`;
  const r = checkSource(src, "cuckoo-prefill.nf");
  const d = r.program?.states[0];
  if (!d) throw new Error("bench: the cuckoo prefill declaration does not check");
  return d;
}

/** Keys in fill order (see the file comment). */
export function fillKeys(trace: Trace): Uint8Array[] {
  const order: number[] = [];
  const seen = new Set<number>();
  // flows the packets use, in order of first use: every other one is inserted, the rest are
  // never (their packets are the misses), then flows no packet uses
  let used = 0;
  for (const f of trace.flowOf) if (!seen.has(f)) (seen.add(f), used++ % 2 === 0 && order.push(f));
  for (let f = 0; f < trace.flows.length; f++) if (!seen.has(f)) order.push(f);
  const keys = order.map((f) => flowKey(trace.flows[f]!));
  for (let i = 0; keys.length < 4 * CUCKOO_CAPACITY && i < 4 * CUCKOO_CAPACITY; i++)
    keys.push(
      flowKey({
        src: [172, 16 + (i >> 16), (i >> 8) & 0xff, i & 0xff],
        dst: [10, 255, 0, 1],
        sport: 7,
        dport: 9,
        proto: 17,
      }),
    );
  return keys;
}

/** The bucket bytes of a table filled to `load` % with `place`'s placement (undefined: nfc's own). */
export function filledTable(
  keys: readonly Uint8Array[],
  load: number,
  place?: (k: Uint8Array) => Placement,
): { buckets: Uint8Array; count: number } {
  const store = new CuckooStore(cuckooDecl(), { cpus: 1, backend: "bpf" }, place);
  const target = (CUCKOO_CAPACITY * load) / 100;
  const one = new Uint8Array([1, 0, 0, 0]);
  let count = 0;
  for (const k of keys) {
    if (count >= target) break;
    if (store.entry(k, one)) count++;
  }
  if (count < target) throw new Error(`bench: cuckoo fill reached ${count} of ${target}`);
  return { buckets: store.mapBytes("t", 0), count };
}

const u32le = (v: number): Uint8Array => new Uint8Array(new Uint32Array([v]).buffer);

/** Writes the buckets into `map` of a loaded program and counts occupied lanes read back. */
export async function writeTable(l: LoadedProgram, map: string, buckets: Uint8Array): Promise<number> {
  const size = buckets.length / CUCKOO_BUCKETS;
  for (let b = 0; b < CUCKOO_BUCKETS; b++)
    await l.runner.update(map, u32le(b), buckets.subarray(b * size, (b + 1) * size));
  let occupied = 0;
  for (const e of await l.runner.dump(map)) {
    const v = e.value ?? e.values?.[0];
    if (!v) continue;
    for (let lane = 0; lane < 16; lane++) if (v[2 * lane] !== 0 || v[2 * lane + 1] !== 0) occupied++;
  }
  return occupied;
}

const tables = new Map<string, { buckets: Uint8Array; count: number }>();

/** BenchCase.prefill: fills the program's table to `load` % and returns what the kernel map holds. */
export async function prefillCuckoo(
  trace: Trace,
  l: LoadedProgram,
  side: "generated" | "handwritten",
  load: number,
): Promise<string> {
  const id = `${side}/${load}/${trace.flows.length}`;
  let t = tables.get(id);
  if (!t)
    tables.set(id, (t = filledTable(fillKeys(trace), load, side === "handwritten" ? hwPlace : undefined)));
  const occupied = await writeTable(l, side === "handwritten" ? "tbl" : "t", t.buckets);
  if (occupied !== t.count)
    throw new Error(`bench: ${l.label}: ${occupied} lanes occupied in the kernel map, ${t.count} placed`);
  return `${l.label}: ${occupied}/${CUCKOO_CAPACITY} slots occupied (${((100 * occupied) / CUCKOO_CAPACITY).toFixed(1)} %, read back from the kernel map)`;
}

/** The four cases (one per load) for compare.ts CASES. */
export const CUCKOO_CASES: readonly BenchCase[] = CUCKOO_LOADS.map((load) => ({
  name: `cuckoo_${load}`,
  nf: "cuckoo_lookup.nf",
  hwSource: "cuckoo.bpf.c",
  defines: { NBUCKETS: String(CUCKOO_BUCKETS) },
  threshold: false,
  prefill: (trace: Trace, l: LoadedProgram, side: "generated" | "handwritten") =>
    prefillCuckoo(trace, l, side, load),
}));
