// cuckoo<K, V> semantics of record (docs/blocks/cuckoo.md). State = the map's bytes: `buckets`
// entries of { u16 sig[16]; u8 slot[16][stride] } (lang/blocks/cuckoo.ts cuckooGeometry), key at
// slot offset 0, value at valueOffset; sig 0 = empty lane, and an empty lane's slot is all zero.
//
// Placement (nf/cuckoo.h on the bpf backend):
//   h = nf_hash64(key, seed = structureSeed(name)); b1 = (u32)h & (buckets-1); sig = h >> 48, 0 → 1
// on the kmod backend (CRC32C is what the runtime accelerates; placement therefore differs):
//   c = crc32c(seed = (u32)structureSeed(name), key), no inversion (nfc_rt_crc32c);
//   b1 = c & (buckets-1); sig = (u32)(c * 0x9e3779b1) >> 16, 0 → 1
// Both: b2 = alt(b1, sig) = (b1 ^ (u32)(sig * 0x5bd1e995)) & (buckets-1) (an involution, so an
// entry's other bucket follows from its bucket and signature alone).
//   find(b): the lowest lane whose sig and full key match. get/contains: find(b1), then find(b2).
//   insert: present → value overwritten in place; else the lowest free lane of b1, else of b2;
//     else displacement: path search from cur = b1, for d in 0..max_kicks-1: lane_d = (sig + d)
//     & 15 of cur, victim = that lane's entry, next = alt(cur, victim sig); if next has a free lane
//     f (lowest), move victim_d → (next, f), victim_{d-1} → (bucket_d, lane_d), …, then the new key
//     into (b1, sig & 15); else cur = next. No path within max_kicks → false, nothing changed.
//     The lanes of a path are distinct (d < 16), so moving backwards is always consistent.
//   remove: the found lane's sig and slot are zeroed → true; absent → false.
// per_cpu: one shard per CPU (datapath ops use the packet's CPU); control-plane entry() inserts
// on every shard.
import type { StateDecl } from "../../checked.js";
import { cuckooGeometry, CUCKOO_LANES, CUCKOO_SIG_BYTES, type CuckooGeometry } from "../../blocks/cuckoo.js";
import { nfHash64, structureSeed } from "../../hash.js";
import type { KindStore, StoreFactory, StoreOptions } from "../kinds.js";
import { checkCpu, type RV } from "../layout.js";

const CRC32C_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
    t[i] = c >>> 0;
  }
  return t;
})();

/** nfc_rt_crc32c(seed, buf): CRC-32C, reflected, no pre/post inversion. */
export function crc32c(seed: number, buf: Uint8Array): number {
  let c = seed >>> 0;
  for (const b of buf) c = (CRC32C_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8)) >>> 0;
  return c >>> 0;
}

export interface Placement {
  b1: number;
  sig: number;
}

/** The key's first bucket and signature on `backend` (see the file comment). */
export function cuckooPlace(
  name: string,
  key: Uint8Array,
  buckets: number,
  backend: "bpf" | "kmod",
): Placement {
  const seed = structureSeed(name);
  const mask = buckets - 1;
  if (backend === "kmod") {
    const c = crc32c(Number(seed & 0xffffffffn), key);
    const sig = (Math.imul(c, 0x9e3779b1) >>> 16) & 0xffff;
    return { b1: (c & mask) >>> 0, sig: sig === 0 ? 1 : sig };
  }
  const h = nfHash64(key, seed);
  const sig = Number(h >> 48n);
  return { b1: Number(h & 0xffffffffn) & mask, sig: sig === 0 ? 1 : sig };
}

/** The other bucket of an entry in bucket `b` with signature `sig`. */
export function cuckooAlt(b: number, sig: number, buckets: number): number {
  return ((b ^ (Math.imul(sig, 0x5bd1e995) >>> 0)) & (buckets - 1)) >>> 0;
}

export class CuckooStore implements KindStore {
  readonly kind = "cuckoo";
  readonly geo: CuckooGeometry;
  readonly maxKicks: number;
  readonly perCpu: boolean;
  private readonly shards: Uint8Array[] = [];

  /** `place` overrides the placement (the bench models a hand-written table's hash with it). */
  constructor(
    readonly decl: StateDecl,
    readonly options: StoreOptions,
    private readonly place?: (key: Uint8Array) => Placement,
  ) {
    if (!decl.value) throw new Error(`interp: cuckoo \`${decl.name}\` without a value type`);
    this.geo = cuckooGeometry(Number(decl.params.capacity), decl.key, decl.value);
    this.maxKicks = Number(decl.params.max_kicks ?? 8);
    this.perCpu = decl.params.per_cpu === true;
  }

  get name(): string {
    return this.decl.name;
  }

  /** The live bytes of a shard (CPU `cpu`; shard 0 when shared). */
  shard(cpu: number): Uint8Array {
    checkCpu(cpu, this.options.cpus);
    const s = this.perCpu ? cpu : 0;
    return (this.shards[s] ??= new Uint8Array(this.geo.buckets * this.geo.bucketBytes));
  }

  private sigAt(m: Uint8Array, b: number, lane: number): number {
    const o = b * this.geo.bucketBytes + lane * 2;
    return m[o]! | (m[o + 1]! << 8);
  }

  private setSig(m: Uint8Array, b: number, lane: number, sig: number): void {
    const o = b * this.geo.bucketBytes + lane * 2;
    m[o] = sig & 0xff;
    m[o + 1] = sig >> 8;
  }

  private slotOff(b: number, lane: number): number {
    return b * this.geo.bucketBytes + CUCKOO_SIG_BYTES + lane * this.geo.stride;
  }

  private find(m: Uint8Array, b: number, sig: number, key: Uint8Array): number {
    for (let l = 0; l < CUCKOO_LANES; l++) {
      if (this.sigAt(m, b, l) !== sig) continue;
      const o = this.slotOff(b, l);
      let eq = true;
      for (let i = 0; i < key.length && eq; i++) eq = m[o + i] === key[i];
      if (eq) return l;
    }
    return -1;
  }

  private freeLane(m: Uint8Array, b: number): number {
    for (let l = 0; l < CUCKOO_LANES; l++) if (this.sigAt(m, b, l) === 0) return l;
    return -1;
  }

  /** Where the key is: [bucket, lane], or undefined. */
  locate(
    m: Uint8Array,
    key: Uint8Array,
  ): { b: number; lane: number; p: Placement } | { p: Placement; b?: undefined } {
    const p = this.place?.(key) ?? cuckooPlace(this.name, key, this.geo.buckets, this.options.backend);
    const l1 = this.find(m, p.b1, p.sig, key);
    if (l1 >= 0) return { b: p.b1, lane: l1, p };
    const b2 = cuckooAlt(p.b1, p.sig, this.geo.buckets);
    const l2 = this.find(m, b2, p.sig, key);
    return l2 >= 0 ? { b: b2, lane: l2, p } : { p };
  }

  private write(
    m: Uint8Array,
    b: number,
    lane: number,
    sig: number,
    key: Uint8Array,
    value: Uint8Array,
  ): void {
    const o = this.slotOff(b, lane);
    m.set(key, o);
    m.set(value, o + this.geo.valueOffset);
    this.setSig(m, b, lane, sig);
  }

  private move(m: Uint8Array, fb: number, fl: number, tb: number, tl: number): void {
    const from = this.slotOff(fb, fl);
    m.copyWithin(this.slotOff(tb, tl), from, from + this.geo.stride);
    this.setSig(m, tb, tl, this.sigAt(m, fb, fl));
  }

  insert(m: Uint8Array, key: Uint8Array, value: Uint8Array): boolean {
    const at = this.locate(m, key);
    if (at.b !== undefined) {
      m.set(value, this.slotOff(at.b, at.lane) + this.geo.valueOffset);
      return true;
    }
    const { b1, sig } = at.p;
    const b2 = cuckooAlt(b1, sig, this.geo.buckets);
    for (const b of [b1, b2]) {
      const f = this.freeLane(m, b);
      if (f >= 0) {
        this.write(m, b, f, sig, key, value);
        return true;
      }
    }
    // Find the whole path first; move only when it ends in a free lane.
    const path: [number, number][] = [];
    let cur = b1;
    for (let d = 0; d < this.maxKicks; d++) {
      const lane = (sig + d) & (CUCKOO_LANES - 1);
      path.push([cur, lane]);
      const next = cuckooAlt(cur, this.sigAt(m, cur, lane), this.geo.buckets);
      const f = this.freeLane(m, next);
      if (f >= 0) {
        let to: [number, number] = [next, f];
        for (let j = d; j >= 0; j--) {
          const from = path[j]!;
          this.move(m, from[0], from[1], to[0], to[1]);
          to = from;
        }
        this.write(m, b1, sig & (CUCKOO_LANES - 1), sig, key, value);
        return true;
      }
      cur = next;
    }
    return false;
  }

  op(op: string, args: Uint8Array[], cpu: number): RV | undefined {
    const m = this.shard(cpu);
    const key = args[0];
    if (!key) throw new Error(`interp: \`${this.name}.${op}\` without a key`);
    switch (op) {
      case "get": {
        const at = this.locate(m, key);
        if (at.b === undefined) return undefined;
        const o = this.slotOff(at.b, at.lane) + this.geo.valueOffset;
        return m.subarray(o, o + this.geo.valueSize); // live: writes through the binding persist
      }
      case "contains":
        return this.locate(m, key).b !== undefined;
      case "insert":
        return this.insert(m, key, args[1] ?? new Uint8Array(this.geo.valueSize));
      case "remove": {
        const at = this.locate(m, key);
        if (at.b === undefined) return false;
        this.setSig(m, at.b, at.lane, 0);
        const o = this.slotOff(at.b, at.lane);
        m.fill(0, o, o + this.geo.stride);
        return true;
      }
      default:
        throw new Error(`interp: unknown cuckoo operation \`${this.name}.${op}\``);
    }
  }

  mapBytes(map: string, cpu: number): Uint8Array {
    if (map !== this.name) throw new Error(`interp: cuckoo \`${this.name}\` has no map \`${map}\``);
    return this.shard(cpu).slice();
  }

  /** Restores a shard from map bytes (test `expect` reads of a kernel snapshot). */
  load(map: string, cpu: number, bytes: Uint8Array): void {
    if (map !== this.name) return;
    const m = this.shard(cpu);
    if (bytes.length < m.length)
      throw new Error(`interp: cuckoo \`${map}\`: ${bytes.length} bytes, expected ${m.length}`);
    m.set(bytes.subarray(0, m.length));
  }

  /** Control plane: insert on every shard (per-CPU) like the datapath would. */
  entry(key: Uint8Array, value: Uint8Array): boolean {
    if (!this.perCpu) return this.insert(this.shard(0), key, value);
    let ok = true;
    for (let c = 0; c < this.options.cpus; c++) ok = this.insert(this.shard(c), key, value) && ok;
    return ok;
  }

  /** Occupied lanes of a shard (tests, the bench's fill check). */
  count(cpu = 0): number {
    const m = this.shard(cpu);
    let n = 0;
    for (let b = 0; b < this.geo.buckets; b++)
      for (let l = 0; l < CUCKOO_LANES; l++) if (this.sigAt(m, b, l) !== 0) n++;
    return n;
  }
}

export const cuckooStore: StoreFactory = (d, o) => new CuckooStore(d, o);
