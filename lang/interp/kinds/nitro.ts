// nitro<K>(rows, width, one_in): the semantics of record. Cells, hash, signs and estimate are
// count_sketch's (./count-sketch.ts); only `add` differs: row updates are sampled.
//   p = 1 / one_in, one_in = 2^s, s = 0..16; a sampled row adds sign_i * (n * one_in mod 2^32).
//   Gap stream (shared by every nitro structure, fixed at compile time, NOT random):
//     r_j   = low 32 bits of nf_hash64(j as 8 bytes little-endian, seed 0), j = 0..NITRO_POOL-1
//     A_j   = 32 - log2(r_j + 1)            in unsigned Q56 (log2_q56 below; = -log2((r+1)/2^32))
//     B     = 32 - log2(2^32 - 2^(32-s))    in Q56 (= -log2(1 - p))
//     gap_j = min(floor(A_j / B), 2^32 - 1) for s >= 1; 0 for s = 0 (every row sampled)
//   gap_j is exactly runtime-kmod's nfc_rt_geo_skip_of(r_j, 2^(32-s)) (kmod/geo.c): the same
//   56-round bitwise-squaring log2, so a geometric(p) count of rows to let pass.
//   Per CPU (always, even for a shared sketch): countdown (u32) and cursor (u32), both 0 at load.
//   add(k, n): for each row i in order: countdown == 0 → apply row i, countdown = gap_cursor,
//   cursor = (cursor + 1) mod NITRO_POOL; else countdown -= 1. (When countdown >= rows the whole
//   call is just countdown -= rows: the C's fast path, no per-row work.)
// Maps: NAME = the cells (as count_sketch), NAME_samp = the per-CPU {countdown, cursor} pair.
import type { StateDecl } from "../../checked.js";
import { nfHash64, structureSeed } from "../../hash.js";
import type { KindStore, StoreFactory } from "../kinds.js";
import { checkCpu, readUint, writeUint, type RV } from "../layout.js";
import { csEstimate, csProbes, SignedCells } from "./count-sketch.js";

/** Entries of the gap stream (a power of two: the cursor wraps with a mask). */
export const NITRO_POOL = 1024;
const Q = 56n;
const M64 = (1n << 64n) - 1n;
const U32_MAX = 0xffffffffn;

/** log2(m) in unsigned Q56 for m >= 1: geo.c's log2_q56, bit for bit. */
export function log2Q56(m: bigint): bigint {
  if (m < 1n) throw new RangeError("log2Q56: m must be >= 1");
  const n = BigInt(m.toString(2).length - 1);
  let y = n <= 62n ? (m << (62n - n)) & M64 : m >> (n - 62n);
  let frac = 0n;
  for (let i = 0; i < Number(Q); i++) {
    y = ((y * y) >> 62n) & M64;
    frac = (frac << 1n) & M64;
    if (y >= 1n << 63n) {
      y >>= 1n;
      frac |= 1n;
    }
  }
  return (n << Q) | frac;
}

/** A = -log2((r + 1) / 2^32) in Q56 (the numerator of a skip). */
export function geoA(r: number): bigint {
  return (32n << Q) - log2Q56(BigInt(r >>> 0) + 1n);
}

/** B = -log2(1 - p) in Q56 for p = p_q32 / 2^32, 1 <= p_q32 < 2^32. */
export function geoB(pQ32: bigint): bigint {
  return (32n << Q) - log2Q56((1n << 32n) - pQ32);
}

/** nfc_rt_geo_skip_of(r, p_q32) (runtime-kmod/kmod/geo.c). */
export function geoSkipOf(r: number, pQ32: bigint): bigint {
  if (pQ32 === 0n) return U32_MAX;
  if (pQ32 >= 1n << 32n) return 0n;
  const s = geoA(r) / geoB(pQ32);
  return s > U32_MAX ? U32_MAX : s;
}

/** r_j: the j-th uniform of the gap stream. */
export function nitroR(j: number): number {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, BigInt(j), true);
  return Number(nfHash64(b, 0n) & U32_MAX);
}

let aTable: bigint[] | undefined;
/** A_j for j = 0..NITRO_POOL-1 (stdlib nf/nitro.h's nf_nitro_log_u). */
export function nitroATable(): readonly bigint[] {
  return (aTable ??= [...Array(NITRO_POOL).keys()].map((j) => geoA(nitroR(j))));
}

/** B for one_in = 2^s (s >= 1); 0n stands for "every row" (s = 0). */
export function nitroB(oneIn: number): bigint {
  return oneIn <= 1 ? 0n : geoB((1n << 32n) / BigInt(oneIn));
}

/** gap_j for a sketch sampling one row in `oneIn`. */
export function nitroGap(j: number, oneIn: number): bigint {
  const b = nitroB(oneIn);
  if (b === 0n) return 0n;
  const s = nitroATable()[j & (NITRO_POOL - 1)]! / b;
  return s > U32_MAX ? U32_MAX : s;
}

export class NitroStore implements KindStore {
  readonly kind = "nitro";
  readonly seed: bigint;
  readonly rows: number;
  readonly width: number;
  readonly oneIn: number;
  readonly store: SignedCells;
  /** Per CPU: 8 bytes { __u32 countdown; __u32 cursor; } as the NAME_samp map value. */
  private readonly samp: Uint8Array[];
  private readonly gaps: bigint[];

  constructor(
    readonly name: string,
    decl: StateDecl,
    readonly cpus: number,
  ) {
    this.seed = structureSeed(name);
    this.rows = Number(decl.params.rows);
    this.width = Number(decl.params.width);
    this.oneIn = Number(decl.params.one_in);
    this.store = new SignedCells(this.rows * this.width, decl.params.per_cpu === true, cpus);
    this.samp = [...Array(cpus)].map(() => new Uint8Array(8));
    this.gaps = [...Array(NITRO_POOL).keys()].map((j) => nitroGap(j, this.oneIn));
  }

  /** The sampler of CPU `cpu`: rows still to skip, and the next gap's index. */
  sampler(cpu: number): { countdown: number; cursor: number } {
    checkCpu(cpu, this.cpus);
    const b = this.samp[cpu]!;
    return { countdown: Number(readUint(b, 0, 4, false)), cursor: Number(readUint(b, 4, 4, false)) };
  }

  add(key: Uint8Array, n: number, cpu: number): void {
    let { countdown, cursor } = this.sampler(cpu);
    if (countdown >= this.rows) countdown -= this.rows;
    else {
      const c = this.store.cells(cpu);
      const { ix, sign } = csProbes(key, this.seed, this.rows, this.width);
      const scaled = Number((BigInt(n) * BigInt(this.oneIn)) & U32_MAX);
      for (let i = 0; i < this.rows; i++) {
        if (countdown === 0) {
          c[ix[i]!] = (c[ix[i]!]! + sign[i]! * scaled) | 0;
          countdown = Number(this.gaps[cursor]!);
          cursor = (cursor + 1) & (NITRO_POOL - 1);
        } else countdown -= 1;
      }
    }
    const b = this.samp[cpu]!;
    writeUint(b, 0, 4, BigInt(countdown), false);
    writeUint(b, 4, 4, BigInt(cursor), false);
  }

  /** Datapath estimate on `cpu`'s shard; without `cpu`, over the merged shards. */
  estimate(key: Uint8Array, cpu?: number): bigint {
    const { ix, sign } = csProbes(key, this.seed, this.rows, this.width);
    return csEstimate(cpu === undefined ? this.store.all() : [this.store.cells(cpu)], ix, sign);
  }

  op(op: string, args: Uint8Array[], cpu: number): RV | undefined {
    switch (op) {
      case "add":
        this.add(args[0]!, Number(readUint(args[1]!, 0, 4, false)), cpu);
        return undefined;
      case "estimate":
        return this.estimate(args[0]!, cpu);
      default:
        throw new Error(`interp: nitro has no operation \`${op}\``);
    }
  }

  load(map: string, cpu: number, bytes: Uint8Array): void {
    if (map === this.name) this.store.load(cpu, bytes);
    else if (map === `${this.name}_samp` && cpu < this.cpus) this.samp[cpu]!.set(bytes.subarray(0, 8));
  }

  mapBytes(map: string, cpu: number): Uint8Array {
    if (map === this.name) return this.store.bytes(cpu);
    if (map === `${this.name}_samp`) {
      checkCpu(cpu, this.cpus);
      return this.samp[cpu]!.slice();
    }
    throw new Error(`nitro ${this.name} has no map ${map}`);
  }
}

export const nitroStore: StoreFactory = (d, o) => new NitroStore(d.name, d, o.cpus);
