// bloom<K>(bits, hashes): index math exactly as stdlib/include/nf/sketch.h (see count-min.ts):
// bit b = nf_dh_index(h, i, bits - 1) for i < hashes, stored in byte b >> 3 at bit b & 7 (the
// bytes of the C's little-endian u64 words, so the array is the map's memory).
// Per-CPU sketches have one shard per CPU; datapath ops use the packet's CPU. Control-plane
// queries without a CPU merge shards (OR), as the loader does.
import type { StateDecl } from "../../checked.js";
import { dhIndex, nfHash64, structureSeed } from "../../hash.js";
import type { KindStore, StoreFactory } from "../kinds.js";
import { checkCpu, type RV } from "../layout.js";

export class BloomStore implements KindStore {
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

  op(op: string, args: Uint8Array[], cpu: number): RV | undefined {
    switch (op) {
      case "insert":
        this.insert(args[0]!, cpu);
        return undefined;
      case "contains":
        return this.contains(args[0]!, cpu);
      default:
        throw new Error(`bloom has no operation ${op}`);
    }
  }

  /** The sketch map's bytes: shard `cpu`'s bit array. */
  mapBytes(_map: string, cpu: number): Uint8Array {
    return this.bitArray(cpu).slice();
  }
}

export const bloomStore: StoreFactory = (d: StateDecl, o) =>
  new BloomStore(d.name, Number(d.params.bits), Number(d.params.hashes), d.params.per_cpu === true, o.cpus);
