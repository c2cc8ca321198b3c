// hll<K>(precision p, groups G): G HyperLogLog counters — the semantics of record
// (docs/blocks/hll.md). State per shard = the pure backend's map (G entries, in index order):
//   group g: [0,4) lock word (0), [4,8) nonzero u32, [8,16) deficit u64, [16, 16+2^p) reg u8.
// add(key, group): h = nf_hash64(key, seed); j = h & (m-1); rank = ctz((h >> p) | 2^(64-p)) + 1
//   (1..65-p). If rank > reg[j]: nonzero += (reg[j] == 0); deficit += term(reg[j]) - term(rank);
//   reg[j] = rank, with term(r) = 2^(S-r) (0 when r > S), S = 64 - 2p (lang/blocks/hll.ts).
// estimate(group): hllEstimate(p, nonzero, deficit) (lang/blocks/hll.ts), O(1).
// The group index is group & (G - 1). Per-CPU: one shard per CPU, the packet's CPU's in the datapath.
import { HLL_GROUP_HEADER, hllEstimate, hllGroupBytes, hllTerm } from "../../blocks/hll.js";
import type { StateDecl } from "../../checked.js";
import { nfHash64, structureSeed } from "../../hash.js";
import type { KindStore, StoreOptions } from "../kinds.js";
import { checkCpu } from "../layout.js";

/** Rank of a hash: 1 + the trailing zeros of (h >> p) with a sentinel bit at 64 - p. */
export function hllRank(h: bigint, p: number): number {
  let x = (h >> BigInt(p)) | (1n << BigInt(64 - p));
  let r = 1;
  while ((x & 1n) === 0n) {
    x >>= 1n;
    r++;
  }
  return r;
}

export class HllStore implements KindStore {
  readonly kind = "hll";
  readonly seed: bigint;
  readonly p: number;
  readonly groups: number;
  readonly perCpu: boolean;
  readonly groupBytes: number;
  private readonly shards: Uint8Array[] = [];

  constructor(
    readonly name: string,
    d: StateDecl,
    readonly cpus: number,
  ) {
    this.seed = structureSeed(name);
    this.p = Number(d.params.precision);
    this.groups = Number(d.params.groups);
    this.perCpu = d.params.per_cpu === true;
    this.groupBytes = hllGroupBytes(this.p);
  }

  private group(cpu: number, group: number): { buf: Uint8Array; dv: DataView } {
    checkCpu(cpu, this.cpus);
    const s = this.perCpu ? cpu : 0;
    const all = (this.shards[s] ??= new Uint8Array(this.groups * this.groupBytes));
    const off = (group & (this.groups - 1)) * this.groupBytes;
    const buf = all.subarray(off, off + this.groupBytes);
    return { buf, dv: new DataView(all.buffer, all.byteOffset + off, this.groupBytes) };
  }

  /** Returns true when a register grew. */
  add(key: Uint8Array, group: number, cpu: number): boolean {
    const h = nfHash64(key, this.seed);
    const j = Number(h & BigInt((1 << this.p) - 1));
    const rank = hllRank(h, this.p);
    const { buf, dv } = this.group(cpu, group);
    const old = buf[HLL_GROUP_HEADER + j]!;
    if (rank <= old) return false;
    if (old === 0) dv.setUint32(4, dv.getUint32(4, true) + 1, true);
    const deficit = dv.getBigUint64(8, true) + hllTerm(this.p, old) - hllTerm(this.p, rank);
    dv.setBigUint64(8, deficit & 0xffffffffffffffffn, true);
    buf[HLL_GROUP_HEADER + j] = rank;
    return true;
  }

  estimate(group: number, cpu: number): number {
    const { dv } = this.group(cpu, group);
    return Number(hllEstimate(this.p, dv.getUint32(4, true), dv.getBigUint64(8, true)));
  }

  /** The registers of a group (a copy). */
  registers(group: number, cpu = 0): Uint8Array {
    return this.group(cpu, group).buf.slice(HLL_GROUP_HEADER);
  }

  op(op: string, args: Uint8Array[], cpu: number): bigint | undefined {
    switch (op) {
      case "add":
        this.add(args[0] ?? new Uint8Array(1), u32(args[1]), cpu);
        return undefined;
      case "estimate":
        return BigInt(this.estimate(u32(args[0]), cpu));
      default:
        throw new Error(`interp: unknown operation \`${this.name}.${op}\` (hll)`);
    }
  }

  mapBytes(map: string, cpu: number): Uint8Array {
    if (map !== this.name) throw new Error(`interp: hll \`${this.name}\` has no map \`${map}\``);
    checkCpu(cpu, this.cpus);
    const s = this.perCpu ? cpu : 0;
    return (this.shards[s] ??= new Uint8Array(this.groups * this.groupBytes)).slice();
  }

  /** Restores a shard from its map bytes (test `expect` reads of a kernel snapshot). */
  load(map: string, cpu: number, bytes: Uint8Array): void {
    if (map !== this.name) return;
    checkCpu(cpu, this.cpus);
    const s = this.perCpu ? cpu : 0;
    (this.shards[s] ??= new Uint8Array(this.groups * this.groupBytes)).set(
      bytes.subarray(0, this.groups * this.groupBytes),
    );
  }
}

function u32(b: Uint8Array | undefined): number {
  if (!b) return 0;
  let v = 0;
  for (let i = Math.min(b.length, 4) - 1; i >= 0; i--) v = v * 256 + b[i]!;
  return v >>> 0;
}

export const hllStore = (d: StateDecl, o: StoreOptions): HllStore => new HllStore(d.name, d, o.cpus);
