// count_sketch<K>(rows, width): the semantics of record, bit for bit runtime-kmod's
// nfc_rt_cs_update / nfc_rt_cs_estimate (runtime-kmod/kmod/sketch.c) and stdlib nf/count_sketch.h.
//   h = nf_hash64(key bytes, structureSeed(name)); g = fmix64(h) (nf_hash64's finalizer again)
//   row i: cell index i*width + nf_dh_index(h, i, width-1) of an __s32 array; sign_i = -1 when
//   bit i of g is set, else +1.
//   add(k, n):    cell_i += sign_i * n, modulo 2^32 (two's complement wrap).
//   estimate(k):  median over rows of sign_i * cell_i as a 64-bit signed value (-(-2^31) = 2^31
//                 does not overflow); even rows: floor((a + b) / 2) of the middle two; then
//                 clamped to 0 when negative (the language's integers are unsigned): 0..2^31.
// State: one Int32Array of rows*width cells per shard (per_cpu: per CPU); mapBytes = its bytes,
// the pure backend's chunks concatenated = the kmod backend's single entry. Control-plane
// queries (estimate without a CPU) sum the shards cell by cell (wrapping), then take the median;
// test `expect s.estimate(k)` reads CPU 0's shard, where test packets run (load + op on CPU 0).
import type { StateDecl } from "../../checked.js";
import { dhIndex, nfHash64, structureSeed } from "../../hash.js";
import type { KindStore, StoreFactory } from "../kinds.js";
import { checkCpu, readUint, type RV } from "../layout.js";

const M64 = (1n << 64n) - 1n;

/** The nf_hash64 finalizer (MurmurHash3 fmix64) applied to a hash: the row signs' source. */
export function fmix64(x: bigint): bigint {
  let h = x & M64;
  h ^= h >> 33n;
  h = (h * 0xff51afd7ed558ccdn) & M64;
  h ^= h >> 33n;
  h = (h * 0xc4ceb9fe1a85ec53n) & M64;
  h ^= h >> 33n;
  return h;
}

/** Cell indexes (row-major) and signs (+1/-1) of a key's rows. */
export function csProbes(
  key: Uint8Array,
  seed: bigint,
  rows: number,
  width: number,
): { ix: number[]; sign: number[] } {
  const h = nfHash64(key, seed);
  const g = fmix64(h);
  const ix: number[] = [];
  const sign: number[] = [];
  for (let i = 0; i < rows; i++) {
    ix.push(i * width + dhIndex(h, i, width - 1));
    sign.push((g >> BigInt(i)) & 1n ? -1 : 1);
  }
  return { ix, sign };
}

/** nfc_rt_cs_estimate's median of signed values: odd → middle, even → floor of the middle mean. */
export function csMedian(vals: readonly number[]): number {
  const v = [...vals].sort((a, b) => a - b);
  const r = v.length;
  if (r & 1) return v[r >> 1]!;
  return Math.floor((v[r / 2 - 1]! + v[r / 2]!) / 2);
}

/** The language-visible estimate: the median, 0 when negative. */
export function csEstimate(
  cells: readonly Int32Array[],
  ix: readonly number[],
  sign: readonly number[],
): bigint {
  const vals = ix.map((x, i) => {
    let c = 0;
    for (const s of cells) c = (c + s[x]!) | 0; // merged shards wrap like the cells
    return sign[i]! * c;
  });
  const m = csMedian(vals);
  return m < 0 ? 0n : BigInt(m);
}

/** Cells shared by count_sketch and nitro: shards of rows*width __s32. */
export class SignedCells {
  private readonly shards: Int32Array[] = [];
  constructor(
    readonly size: number,
    readonly perCpu: boolean,
    readonly cpus: number,
  ) {}

  /** The live cells of CPU `cpu`'s shard (shard 0 when shared). */
  cells(cpu = 0): Int32Array {
    checkCpu(cpu, this.cpus);
    const s = this.perCpu ? cpu : 0;
    return (this.shards[s] ??= new Int32Array(this.size));
  }

  /** All shards (the control plane's merge). */
  all(): Int32Array[] {
    if (!this.perCpu) return [this.cells(0)];
    return [...Array(this.cpus).keys()].map((c) => this.cells(c));
  }

  /** Restores shard bytes (mapBytes' inverse) for CPU `cpu`. */
  load(cpu: number, bytes: Uint8Array): void {
    const c = this.cells(this.perCpu ? cpu : 0);
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let i = 0; i < c.length && i * 4 + 4 <= bytes.length; i++) c[i] = dv.getInt32(i * 4, true);
  }

  /** The cells' C bytes (little-endian __s32), as the maps hold them. */
  bytes(cpu: number): Uint8Array {
    const c = this.cells(this.perCpu ? cpu : 0);
    return new Uint8Array(c.buffer.slice(c.byteOffset, c.byteOffset + c.byteLength));
  }
}

export class CountSketchStore implements KindStore {
  readonly kind = "count_sketch";
  readonly seed: bigint;
  readonly rows: number;
  readonly width: number;
  readonly store: SignedCells;

  constructor(
    readonly name: string,
    decl: StateDecl,
    readonly cpus: number,
  ) {
    this.seed = structureSeed(name);
    this.rows = Number(decl.params.rows);
    this.width = Number(decl.params.width);
    this.store = new SignedCells(this.rows * this.width, decl.params.per_cpu === true, cpus);
  }

  add(key: Uint8Array, n: number, cpu: number): void {
    const c = this.store.cells(cpu);
    const { ix, sign } = csProbes(key, this.seed, this.rows, this.width);
    ix.forEach((x, i) => (c[x] = (c[x]! + sign[i]! * n) | 0));
  }

  /** Datapath estimate on `cpu`'s shard; without `cpu`, over the merged shards. */
  estimate(key: Uint8Array, cpu?: number): bigint {
    const { ix, sign } = csProbes(key, this.seed, this.rows, this.width);
    return csEstimate(cpu === undefined ? this.store.all() : [this.store.cells(cpu)], ix, sign);
  }

  op(op: string, args: Uint8Array[], cpu: number): RV | undefined {
    const key = args[0]!;
    switch (op) {
      case "add":
        this.add(key, Number(readUint(args[1]!, 0, 4, false)), cpu);
        return undefined;
      case "estimate":
        return this.estimate(key, cpu);
      default:
        throw new Error(`interp: count_sketch has no operation \`${op}\``);
    }
  }

  load(map: string, cpu: number, bytes: Uint8Array): void {
    if (map === this.name) this.store.load(cpu, bytes);
  }

  mapBytes(map: string, cpu: number): Uint8Array {
    if (map !== this.name) throw new Error(`count_sketch ${this.name} has no map ${map}`);
    return this.store.bytes(cpu);
  }
}

export const countSketchStore: StoreFactory = (d, o) => new CountSketchStore(d.name, d, o.cpus);
