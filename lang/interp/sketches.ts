// Sketch state: count_min and bloom, index math exactly as stdlib/include/nf/sketch.h.
//   h = nf_hash64(key bytes, seed), seed = structureSeed(name)
//   probe i: nf_dh_index(h, i, size - 1) = ((u32)h + i * ((u32)(h >> 32) | 1)) & (size - 1)
//   count_min: cell (row i) = cells[i * width + index_i]; add wraps modulo 2^32; estimate = min.
//   bloom: bit b = index_i over `bits`, stored in byte b >> 3 at bit b & 7 (the bytes of the C's
//   little-endian u64 words, so the array is the map's memory).
// Per-CPU sketches have one shard per CPU; datapath ops use the packet's CPU. Control-plane
// queries without a CPU merge shards (sum for count_min, OR for bloom), as the loader does.
import { dhIndex, nfHash64, structureSeed } from "../hash.js";
import { checkCpu } from "./layout.js";

export { structureSeed };

export class CountMinStore {
  readonly kind = "count_min" as const;
  readonly seed: bigint;
  private readonly shards: Uint32Array[] = [];

  constructor(
    readonly name: string,
    readonly rows: number,
    readonly width: number,
    readonly perCpu: boolean,
    readonly cpus: number,
  ) {
    this.seed = structureSeed(name);
  }

  /** The live cells (rows × width, row-major) of a shard (CPU `cpu`; shard 0 when shared). */
  cells(cpu = 0): Uint32Array {
    checkCpu(cpu, this.cpus);
    const s = this.perCpu ? cpu : 0;
    return (this.shards[s] ??= new Uint32Array(this.rows * this.width));
  }

  private indexes(key: Uint8Array): number[] {
    const h = nfHash64(key, this.seed);
    const out: number[] = [];
    for (let i = 0; i < this.rows; i++) out.push(i * this.width + dhIndex(h, i, this.width - 1));
    return out;
  }

  add(key: Uint8Array, n: number, cpu: number): void {
    const c = this.cells(cpu);
    for (const ix of this.indexes(key)) c[ix] = (c[ix]! + n) >>> 0;
  }

  /** Datapath estimate on `cpu`'s shard; without `cpu`, over the merged (summed) shards. */
  estimate(key: Uint8Array, cpu?: number): number {
    const ixs = this.indexes(key);
    let est = 0xffffffff;
    for (const ix of ixs) {
      let v: number;
      if (cpu !== undefined || !this.perCpu) v = this.cells(cpu ?? 0)[ix]!;
      else {
        v = 0;
        for (let c = 0; c < this.cpus; c++) v = (v + (this.shards[c]?.[ix] ?? 0)) >>> 0;
      }
      if (v < est) est = v;
    }
    return est;
  }
}

export class BloomStore {
  readonly kind = "bloom" as const;
  readonly seed: bigint;
  private readonly shards: Uint8Array[] = [];

  constructor(
    readonly name: string,
    readonly bits: number,
    readonly hashes: number,
    readonly perCpu: boolean,
    readonly cpus: number,
  ) {
    this.seed = structureSeed(name);
  }

  /** The live bit array of a shard: whole 64-bit words as the C stores them (`bits` < 64 still
   *  takes one word, its high bits always zero), so both sides' states have the same shape. */
  bitArray(cpu = 0): Uint8Array {
    checkCpu(cpu, this.cpus);
    const s = this.perCpu ? cpu : 0;
    return (this.shards[s] ??= new Uint8Array(Math.ceil(this.bits / 64) * 8));
  }

  private positions(key: Uint8Array): number[] {
    const h = nfHash64(key, this.seed);
    const out: number[] = [];
    for (let i = 0; i < this.hashes; i++) out.push(dhIndex(h, i, this.bits - 1));
    return out;
  }

  insert(key: Uint8Array, cpu: number): void {
    const b = this.bitArray(cpu);
    for (const p of this.positions(key)) b[p >> 3]! |= 1 << (p & 7);
  }

  /** Datapath test on `cpu`'s shard; without `cpu`, over the merged (OR) shards. */
  contains(key: Uint8Array, cpu?: number): boolean {
    const arrays =
      cpu !== undefined || !this.perCpu
        ? [this.bitArray(cpu ?? 0)]
        : [...Array(this.cpus).keys()].map((c) => this.bitArray(c));
    return this.positions(key).every((p) => arrays.some((b) => (b[p >> 3]! & (1 << (p & 7))) !== 0));
  }
}
