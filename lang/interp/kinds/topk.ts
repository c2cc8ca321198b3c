// topk<K>(k): Space-Saving over k slots — the semantics of record (docs/blocks/topk.md).
// State per shard = the pure backend's single map value (lang/blocks/topk.ts topkLayout):
//   [0,4) lock word (0), [4,8) pad, cnt[k] u32 at 8, key[k] (sizeOf(K) bytes each) at the next
//   multiple of 8.
// add(key, n):  n == 0 → count(key), nothing changes. Otherwise scan slots 0..k-1: the first
//   occupied slot (cnt != 0) holding key gets cnt = min(cnt + n, 2^32-1); without one, the slot
//   with the smallest cnt (lowest index on ties; empty slots have cnt 0) is overwritten with key
//   and cnt = min(old cnt + n, 2^32-1). Returns the new cnt.
// count(key):   cnt of the occupied slot holding key, else 0.
// Per-CPU: one shard per CPU, the packet's CPU's shard in the datapath.
import { topkLayout } from "../../blocks/topk.js";
import type { StateDecl } from "../../checked.js";
import type { KindStore, StoreOptions } from "../kinds.js";
import { checkCpu } from "../layout.js";

const SAT = 0xffffffff;

export class TopkStore implements KindStore {
  readonly kind = "topk";
  readonly k: number;
  readonly perCpu: boolean;
  private readonly lay: ReturnType<typeof topkLayout>;
  private readonly shards: Uint8Array[] = [];

  constructor(
    readonly name: string,
    d: StateDecl,
    readonly cpus: number,
  ) {
    this.k = Number(d.params.k);
    this.perCpu = d.params.per_cpu === true;
    this.lay = topkLayout(this.k, d.key);
  }

  private shard(cpu: number): { buf: Uint8Array; dv: DataView } {
    checkCpu(cpu, this.cpus);
    const s = this.perCpu ? cpu : 0;
    const buf = (this.shards[s] ??= new Uint8Array(this.lay.size));
    return { buf, dv: new DataView(buf.buffer, buf.byteOffset, buf.byteLength) };
  }

  private keyAt(buf: Uint8Array, i: number): Uint8Array {
    const off = this.lay.key + i * this.lay.stride;
    return buf.subarray(off, off + this.lay.stride);
  }

  /** Slot holding `key` (lowest occupied match), or -1; plus the minimum slot for a miss. */
  private scan(buf: Uint8Array, dv: DataView, key: Uint8Array): { hit: number; min: number } {
    let min = SAT;
    let mi = 0;
    for (let i = 0; i < this.k; i++) {
      const c = dv.getUint32(this.lay.cnt + 4 * i, true);
      if (c !== 0 && equal(this.keyAt(buf, i), key)) return { hit: i, min: mi };
      if (c < min) {
        min = c;
        mi = i;
      }
    }
    return { hit: -1, min: mi };
  }

  add(key: Uint8Array, n: number, cpu: number): number {
    if (n === 0) return this.count(key, cpu);
    const { buf, dv } = this.shard(cpu);
    const { hit, min } = this.scan(buf, dv, key);
    const i = hit >= 0 ? hit : min;
    const c = Math.min(dv.getUint32(this.lay.cnt + 4 * i, true) + n, SAT);
    if (hit < 0) this.keyAt(buf, i).set(key);
    dv.setUint32(this.lay.cnt + 4 * i, c, true);
    return c;
  }

  count(key: Uint8Array, cpu: number): number {
    const { buf, dv } = this.shard(cpu);
    const { hit } = this.scan(buf, dv, key);
    return hit < 0 ? 0 : dv.getUint32(this.lay.cnt + 4 * hit, true);
  }

  /** The tracked (key, count) pairs of a shard, in slot order (tests, reports). */
  entries(cpu = 0): { key: Uint8Array; count: number; slot: number }[] {
    const { buf, dv } = this.shard(cpu);
    const out: { key: Uint8Array; count: number; slot: number }[] = [];
    for (let i = 0; i < this.k; i++) {
      const c = dv.getUint32(this.lay.cnt + 4 * i, true);
      if (c !== 0) out.push({ key: this.keyAt(buf, i).slice(), count: c, slot: i });
    }
    return out;
  }

  op(op: string, args: Uint8Array[], cpu: number): bigint {
    const key = args[0] ?? new Uint8Array(this.lay.stride);
    switch (op) {
      case "add":
        return BigInt(this.add(key, u32(args[1]), cpu));
      case "count":
        return BigInt(this.count(key, cpu));
      default:
        throw new Error(`interp: unknown operation \`${this.name}.${op}\` (topk)`);
    }
  }

  mapBytes(map: string, cpu: number): Uint8Array {
    if (map !== this.name) throw new Error(`interp: topk \`${this.name}\` has no map \`${map}\``);
    return this.shard(this.perCpu ? cpu : 0).buf.slice();
  }

  /** Restores a shard from its map bytes (test `expect` reads of a kernel snapshot). */
  load(map: string, cpu: number, bytes: Uint8Array): void {
    if (map !== this.name) return;
    this.shard(this.perCpu ? cpu : 0).buf.set(bytes.subarray(0, this.lay.size));
  }

  /** `entry s[key] = n`: add(key, n) on every CPU's shard (one shard when shared). */
  entry(key: Uint8Array, value: Uint8Array): boolean {
    const n = u32(value);
    for (let c = 0; c < (this.perCpu ? this.cpus : 1); c++) this.add(key, n, c);
    return true;
  }
}

function u32(b: Uint8Array | undefined): number {
  if (!b) return 1;
  let v = 0;
  for (let i = Math.min(b.length, 4) - 1; i >= 0; i--) v = v * 256 + b[i]!;
  return v >>> 0;
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export const topkStore = (d: StateDecl, o: StoreOptions): TopkStore => new TopkStore(d.name, d, o.cpus);
