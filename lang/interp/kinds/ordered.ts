// ordered<K, V>(capacity): the semantics of record, kept in exactly the bytes the pure backend's
// map value holds (lang/blocks/ordered.ts orderedLayout; stdlib nf/ordered.h), so mapBytes is the
// kernel's map value.
//   value: u32 lock (0 here), u16 free (free-list head, 0 none), u16 used (nodes ever handed out),
//   u16 head (always 0), 6 bytes of padding,
//   nodes[0..capacity]: node 0 is the head sentinel, node i = { K key; V value; u16 next[levels] }.
//   Free nodes are zeroed, chained through next[0]. Allocation: the free list first, else ++used.
// Search (the C's nf_ord_seek): x = head; for lvl = levels-1 down to 0: while nx = x.next[lvl] is
//   not 0 and key(nx) < k, move x = nx — at most `moves` (32) times per level: a level that
//   needs more gives up (get/first_ge/next → none, contains/insert/remove → false, nothing
//   changes); then preds[lvl] = x. The shape depends only on the key set (deterministic levels),
//   so the same keys give up on every backend.
// level(k) = 1 + trailing one bits of nf_hash64(k, structureSeed(name)), capped at levels.
// insert: present → value overwritten in place (true); else allocate (none left → false), link
//   at levels 0..level-1 after preds, next[level..] = 0. remove: unlink at every level where
//   preds[l].next[l] is the node, zero it, push it on the free list.
// per_cpu: one arena per CPU; otherwise one shared arena (the C holds a bpf_spin_lock).
// kmod objects (compiler/blocks/kmod/ordered.ts: linked nfc_rt_mem nodes, same shape and budget)
// differ in one observable way: `get` returns a COPY of the value, so writes through the binding
// do not persist (backend "kmod" models that). The arena bytes here stay the state of record.
import type { StateDecl } from "../../checked.js";
import { orderedLayout, ORD_FREE, ORD_USED, type OrderedLayout } from "../../blocks/ordered.js";
import { nfHash64, structureSeed } from "../../hash.js";
import type { KindStore, StoreFactory } from "../kinds.js";
import { checkCpu, readUint, writeUint, type RV } from "../layout.js";

/** Result of a search: the predecessor at every level, or undefined when the budget ran out. */
type Preds = number[] | undefined;

export class OrderedStore implements KindStore {
  readonly kind = "ordered";
  readonly layout: OrderedLayout;
  readonly seed: bigint;
  private readonly shards: Uint8Array[] = [];

  constructor(
    readonly name: string,
    readonly decl: StateDecl,
    readonly cpus: number,
    /** "kmod": `get` hands out a copy (the kmod lowering's stack copy), not the live value. */
    readonly backend: "bpf" | "kmod" = "bpf",
  ) {
    this.layout = orderedLayout(decl.params, decl.key, decl.value);
    this.seed = structureSeed(decl.name);
    const n = this.perCpu ? cpus : 1;
    for (let i = 0; i < n; i++) this.shards.push(new Uint8Array(this.layout.size));
  }

  get perCpu(): boolean {
    return this.decl.params.per_cpu === true;
  }

  /** The live map value of a shard (CPU `cpu`; shard 0 when shared). */
  value(cpu = 0): Uint8Array {
    checkCpu(cpu, this.cpus);
    return this.shards[this.perCpu ? cpu : 0]!;
  }

  mapBytes(map: string, cpu: number): Uint8Array {
    if (map !== this.name) throw new Error(`ordered ${this.name} has no map ${map}`);
    return this.value(this.perCpu ? cpu : 0).slice();
  }

  /** The inverse of mapBytes: a kernel snapshot of the arena for CPU `cpu` (test `expect` reads). */
  load(map: string, cpu: number, bytes: Uint8Array): void {
    if (map !== this.name) return;
    if (bytes.length !== this.layout.size)
      throw new Error(`ordered ${this.name}: ${bytes.length} bytes loaded, the arena is ${this.layout.size}`);
    this.value(this.perCpu ? cpu : 0).set(bytes);
  }

  // ---- node access ----
  private off(i: number): number {
    return this.layout.nodes + i * this.layout.node;
  }
  private u16(b: Uint8Array, off: number): number {
    return Number(readUint(b, off, 2, false));
  }
  private setU16(b: Uint8Array, off: number, v: number): void {
    writeUint(b, off, 2, BigInt(v), false);
  }
  private next(b: Uint8Array, i: number, lvl: number): number {
    return this.u16(b, this.off(i) + this.layout.nextOff + 2 * lvl);
  }
  private setNext(b: Uint8Array, i: number, lvl: number, v: number): void {
    this.setU16(b, this.off(i) + this.layout.nextOff + 2 * lvl, v);
  }
  private keyAt(b: Uint8Array, i: number): Uint8Array {
    return b.subarray(this.off(i), this.off(i) + this.layout.keySize);
  }

  /** Key order: numeric (little-endian C bytes) for integer keys, else lexicographic bytes. */
  compare(a: Uint8Array, b: Uint8Array): number {
    const n = this.layout.keySize;
    if (this.layout.numeric) {
      const x = readUint(a, 0, n, false);
      const y = readUint(b, 0, n, false);
      return x < y ? -1 : x > y ? 1 : 0;
    }
    for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
    return 0;
  }

  /** 1 + trailing one bits of the key's hash, capped at `levels`. */
  level(key: Uint8Array): number {
    const h = nfHash64(key.subarray(0, this.layout.keySize), this.seed);
    let lvl = 1;
    for (let i = 0; i < this.layout.levels - 1; i++) {
      if (((h >> BigInt(i)) & 1n) === 0n) break;
      lvl++;
    }
    return lvl;
  }

  /** nf_ord_seek: predecessors of `key` at every level, or undefined past `moves` at a level. */
  seek(b: Uint8Array, key: Uint8Array): Preds {
    const L = this.layout;
    const preds = new Array<number>(L.levels).fill(0);
    let x = 0;
    for (let lvl = L.levels - 1; lvl >= 0; lvl--) {
      for (let j = 0; ; j++) {
        const nx = this.next(b, x, lvl);
        if (nx === 0 || nx > L.capacity || this.compare(this.keyAt(b, nx), key) >= 0) break;
        if (j === L.moves) return undefined;
        x = nx;
      }
      preds[lvl] = x;
    }
    return preds;
  }

  /** The node holding `key` after a successful seek, or 0. */
  private found(b: Uint8Array, preds: number[], key: Uint8Array): number {
    const c = this.next(b, preds[0]!, 0);
    return c !== 0 && this.compare(this.keyAt(b, c), key) === 0 ? c : 0;
  }

  get(key: Uint8Array, cpu: number): Uint8Array | undefined {
    const b = this.value(cpu);
    const p = this.seek(b, key);
    const c = p ? this.found(b, p, key) : 0;
    if (c === 0) return undefined;
    const at = this.off(c) + this.layout.valueOff;
    const v = b.subarray(at, at + this.layout.valueSize);
    return this.backend === "kmod" ? v.slice() : v; // bpf: live, writes through the binding persist
  }

  contains(key: Uint8Array, cpu: number): boolean {
    const b = this.value(cpu);
    const p = this.seek(b, key);
    return p !== undefined && this.found(b, p, key) !== 0;
  }

  insert(key: Uint8Array, value: Uint8Array, cpu: number): boolean {
    const L = this.layout;
    const b = this.value(cpu);
    const p = this.seek(b, key);
    if (!p) return false;
    const c = this.found(b, p, key);
    if (c !== 0) {
      b.set(value.subarray(0, L.valueSize), this.off(c) + L.valueOff);
      return true;
    }
    let n = this.u16(b, ORD_FREE);
    if (n !== 0) {
      this.setU16(b, ORD_FREE, this.next(b, n, 0));
    } else {
      const used = this.u16(b, ORD_USED);
      if (used >= L.capacity) return false;
      n = used + 1;
      this.setU16(b, ORD_USED, n);
    }
    b.set(key.subarray(0, L.keySize), this.off(n));
    b.set(value.subarray(0, L.valueSize), this.off(n) + L.valueOff);
    const lvl = this.level(key);
    for (let i = 0; i < L.levels; i++) {
      if (i < lvl) {
        this.setNext(b, n, i, this.next(b, p[i]!, i));
        this.setNext(b, p[i]!, i, n);
      } else {
        this.setNext(b, n, i, 0);
      }
    }
    return true;
  }

  remove(key: Uint8Array, cpu: number): boolean {
    const L = this.layout;
    const b = this.value(cpu);
    const p = this.seek(b, key);
    if (!p) return false;
    const c = this.found(b, p, key);
    if (c === 0) return false;
    for (let i = 0; i < L.levels; i++) {
      if (this.next(b, p[i]!, i) === c) this.setNext(b, p[i]!, i, this.next(b, c, i));
    }
    b.fill(0, this.off(c), this.off(c) + L.node);
    this.setNext(b, c, 0, this.u16(b, ORD_FREE));
    this.setU16(b, ORD_FREE, c);
    return true;
  }

  /** Smallest key ≥ key (strict: > key), a copy; none when there is none or the budget ran out. */
  scan(key: Uint8Array, strict: boolean, cpu: number): Uint8Array | undefined {
    const b = this.value(cpu);
    const p = this.seek(b, key);
    if (!p) return undefined;
    let c = this.next(b, p[0]!, 0);
    if (strict && c !== 0 && this.compare(this.keyAt(b, c), key) === 0) c = this.next(b, c, 0);
    return c === 0 ? undefined : this.keyAt(b, c).slice();
  }

  /** Keys in order (tests and control-plane reads). */
  keys(cpu = 0): Uint8Array[] {
    const b = this.value(cpu);
    const out: Uint8Array[] = [];
    for (let c = this.next(b, 0, 0), n = 0; c !== 0 && n <= this.layout.capacity; c = this.next(b, c, 0), n++)
      out.push(this.keyAt(b, c).slice());
    return out;
  }

  op(op: string, args: Uint8Array[], cpu: number): RV | undefined {
    const k = args[0]!;
    switch (op) {
      case "get":
        return this.get(k, cpu);
      case "contains":
        return this.contains(k, cpu);
      case "insert":
        return this.insert(k, args[1]!, cpu);
      case "remove":
        return this.remove(k, cpu);
      case "first_ge":
        return this.scan(k, false, cpu);
      case "next":
        return this.scan(k, true, cpu);
      default:
        throw new Error(`ordered has no operation ${op}`);
    }
  }

  /**
   * Control plane: insert on every shard (every CPU for per-CPU tables); false if any refused.
   * The twin of a kmod object ignores it (and says true): the kmod table lives in kernel objects
   * (a map family "opaque"), which no map write can fill, so the kernel starts empty too.
   */
  entry(key: Uint8Array, value: Uint8Array): boolean {
    if (this.backend === "kmod") return true;
    let ok = true;
    for (let cpu = 0; cpu < this.shards.length; cpu++) ok = this.insert(key, value, cpu) && ok;
    return ok;
  }
}

export const orderedStore: StoreFactory = (d, o) => new OrderedStore(d.name, d, o.cpus, o.backend);
