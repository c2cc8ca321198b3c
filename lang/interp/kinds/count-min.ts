// count_min<K>(rows, width): index math exactly as stdlib/include/nf/sketch.h.
//   h = nf_hash64(key bytes, seed), seed = structureSeed(name)
//   probe i: nf_dh_index(h, i, size - 1) = ((u32)h + i * ((u32)(h >> 32) | 1)) & (size - 1)
//   cell (row i) = cells[i * width + index_i]; add wraps modulo 2^32; estimate = min.
// Per-CPU sketches have one shard per CPU; datapath ops use the packet's CPU. Control-plane
// queries without a CPU merge shards (sum), as the loader does.
import type { StateDecl } from "../../checked.js";
import { dhIndex, nfHash64, structureSeed } from "../../hash.js";
import type { KindStore, StoreFactory } from "../kinds.js";
import { checkCpu, readUint, type RV } from "../layout.js";

export class CountMinStore implements KindStore {
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

  op(op: string, args: Uint8Array[], cpu: number): RV | undefined {
    switch (op) {
      case "add":
        this.add(args[0]!, Number(readUint(args[1]!, 0, 4, false)), cpu);
        return undefined;
      case "estimate":
        return BigInt(this.estimate(args[0]!, cpu));
      default:
        throw new Error(`count_min has no operation ${op}`);
    }
  }

  /** The sketch map's bytes: the cells of shard `cpu` as the C's little-endian u32s. */
  mapBytes(_map: string, cpu: number): Uint8Array {
    return new Uint8Array(this.cells(cpu).slice().buffer);
  }
}

export const countMinStore: StoreFactory = (d: StateDecl, o) =>
  new CountMinStore(d.name, Number(d.params.rows), Number(d.params.width), d.params.per_cpu === true, o.cpus);
