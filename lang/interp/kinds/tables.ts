// Table state (array, hash, lru, lpm) with the kernel map semantics the generated code relies on.
// Keys and values are the exact C memory bytes. A datapath `get` returns the stored Uint8Array
// itself: writes through it change the table (a reference, as bpf_map_lookup_elem gives).
//
//   hash/lru  insert = update(BPF_ANY): a new key on a full hash fails (false); replacing an
//             existing key stores a NEW element (an earlier reference is detached, as in the
//             kernel, which swaps in a fresh element). lru: a new key on a full table evicts the
//             least recently used entry (lookups and updates refresh); the kernel's real eviction
//             order (per-CPU LRU lists, may evict before full) is NOT modelled: the differential
//             adopts the kernel's choice (compiler/difftest/lru-sync.ts, docs/LANGUAGE.md). Per-CPU: the key set is shared, each CPU has its own value; a new key
//             inserted on CPU c gets the value on c and zeros elsewhere; an update of an existing
//             key writes c's value in place.
//   array     keyed by the map's __u32 (any key of 1..4 LE bytes is accepted; entries() gives 4);
//             every index < capacity exists (zero-initialised); insert/update write in place
//             (true), remove fails (false, bpf_map_delete_elem gives -EINVAL); out of range:
//             get none, contains/insert/update/remove false, add does nothing.
//   lpm       entries `{ prefixLen, addr }`; lookup = longest prefix containing the address.
import type { StateDecl } from "../../checked.js";
import { sizeOf, type Ty } from "../../types.js";
import type { KindStore, StoreFactory } from "../kinds.js";
import { checkCpu, hexKey, readUint, writeUint, type RV } from "../layout.js";

export type TableKind = "array" | "hash" | "lru" | "lpm";
export type UpdateFlag = "any" | "exist" | "noexist";

interface Entry {
  key: Uint8Array;
  vals: (Uint8Array | undefined)[]; // one per shard (per-CPU) or a single shared value
}

export interface LpmKey {
  prefixLen: number;
  addr: Uint8Array;
}

export class TableStore implements KindStore {
  private readonly map = new Map<string, Entry>();
  private readonly arr: Map<number, Uint8Array>[] = [];
  /** Element writes so far (insert, update, add of a new key): where a kernel lru may evict. */
  writes = 0;
  /** lru: keys the next element write evicts (the kernel's choice, set by the differential). */
  pendingEvictions: Uint8Array[] = [];

  constructor(
    readonly name: string,
    readonly kind: TableKind,
    readonly capacity: number,
    readonly perCpu: boolean,
    readonly cpus: number,
    readonly keyTy: Ty,
    readonly valueSize: number,
  ) {}

  private shard(cpu: number): number {
    checkCpu(cpu, this.cpus);
    return this.perCpu ? cpu : 0;
  }

  /** Arrays are indexed by a little-endian integer of the key's bytes (the map key is a __u32). */
  private arrayIndex(key: Uint8Array): number {
    return Number(readUint(key, 0, key.length, false));
  }

  private arraySlot(idx: number, cpu: number, create: boolean): Uint8Array | undefined {
    const s = this.shard(cpu);
    const m = (this.arr[s] ??= new Map());
    let v = m.get(idx);
    if (!v && create) {
      v = new Uint8Array(this.valueSize);
      m.set(idx, v);
    }
    return v;
  }

  private lpmId(k: LpmKey): string {
    const masked = k.addr.slice();
    for (let bit = k.prefixLen; bit < masked.length * 8; bit++) masked[bit >> 3]! &= ~(0x80 >> (bit & 7));
    return `${k.prefixLen}/${hexKey(masked)}`;
  }

  /** The stored value (a live reference) for a datapath or control-plane lookup, or undefined. */
  lookup(key: Uint8Array, cpu: number, touch = true): Uint8Array | undefined {
    const s = this.shard(cpu);
    switch (this.kind) {
      case "array": {
        const idx = this.arrayIndex(key);
        return idx < this.capacity ? this.arraySlot(idx, cpu, true) : undefined;
      }
      case "lpm":
        return this.lpmLookup(key, s);
      case "hash":
      case "lru": {
        const id = hexKey(key);
        const e = this.map.get(id);
        if (!e) return undefined;
        if (this.kind === "lru" && touch) this.touch(id, e);
        return (e.vals[s] ??= new Uint8Array(this.valueSize));
      }
    }
  }

  private lpmLookup(addr: Uint8Array, s: number): Uint8Array | undefined {
    let best: Entry | undefined;
    let bestLen = -1;
    for (const e of this.map.values()) {
      const len = readPrefixLen(e.key);
      if (len <= bestLen || !prefixMatches(e.key.subarray(4), len, addr)) continue;
      best = e;
      bestLen = len;
    }
    return best ? (best.vals[s] ??= new Uint8Array(this.valueSize)) : undefined;
  }

  private touch(id: string, e: Entry): void {
    this.map.delete(id);
    this.map.set(id, e);
  }

  /** bpf_map_update_elem(key, value, flag) from CPU `cpu`. Returns false when it fails. */
  update(key: Uint8Array, value: Uint8Array, cpu: number, flag: UpdateFlag, allCpus = false): boolean {
    const s = this.shard(cpu);
    if (this.kind === "array") {
      const idx = this.arrayIndex(key);
      if (idx >= this.capacity || flag === "noexist") return false;
      const shards = allCpus && this.perCpu ? [...Array(this.cpus).keys()] : [cpu];
      for (const c of shards) this.arraySlot(idx, c, true)!.set(value);
      return true;
    }
    if (this.kind === "lpm") throw new Error("interp: use updateLpm for lpm tables");
    return this.put(hexKey(key), key, value, s, flag, allCpus);
  }

  updateLpm(k: LpmKey, value: Uint8Array, cpu: number, allCpus = false): boolean {
    const s = this.shard(cpu);
    const stored = new Uint8Array(4 + k.addr.length);
    new DataView(stored.buffer).setUint32(0, k.prefixLen, true);
    stored.set(k.addr, 4);
    return this.put(this.lpmId(k), stored, value, s, "any", allCpus);
  }

  private put(
    id: string,
    key: Uint8Array,
    value: Uint8Array,
    s: number,
    flag: UpdateFlag,
    allCpus: boolean,
  ): boolean {
    const old = this.map.get(id);
    if (old && flag === "noexist") return false;
    if (!old && flag === "exist") return false;
    this.writes++;
    if (this.kind === "lru" && this.pendingEvictions.length > 0) {
      for (const k of this.pendingEvictions) if (hexKey(k) !== id) this.map.delete(hexKey(k));
      this.pendingEvictions = [];
    }
    if (!old && this.map.size >= this.capacity) {
      if (this.kind !== "lru") return false;
      const victim = this.map.keys().next().value;
      if (victim !== undefined) this.map.delete(victim);
    }
    const shards = this.perCpu ? this.cpus : 1;
    if (old) {
      if (this.perCpu) {
        for (let c = 0; c < shards; c++)
          if (allCpus || c === s) (old.vals[c] ??= new Uint8Array(this.valueSize)).set(value);
      } else {
        old.vals[0] = value.slice(); // a fresh element: earlier references are detached
      }
      if (this.kind === "lru") this.touch(id, old);
      return true;
    }
    const vals: Uint8Array[] = [];
    for (let c = 0; c < shards; c++)
      vals.push(allCpus || c === s ? value.slice() : new Uint8Array(this.valueSize));
    this.map.set(id, { key: key.slice(), vals });
    return true;
  }

  /** bpf_map_delete_elem. Arrays cannot delete (false). */
  remove(key: Uint8Array): boolean {
    if (this.kind === "array") return false;
    return this.map.delete(hexKey(key));
  }

  removeLpm(k: LpmKey): boolean {
    return this.map.delete(this.lpmId(k));
  }

  contains(key: Uint8Array, cpu: number): boolean {
    if (this.kind === "array") return this.arrayIndex(key) < this.capacity;
    if (this.kind === "lpm") return this.lpmLookup(key, this.shard(cpu)) !== undefined;
    const id = hexKey(key);
    const e = this.map.get(id);
    if (e && this.kind === "lru") this.touch(id, e);
    return e !== undefined;
  }

  /** Snapshot of (key, value) copies for one shard. Arrays list every touched index. */
  entries(cpu: number): { key: Uint8Array; value: Uint8Array }[] {
    const s = this.shard(cpu);
    if (this.kind === "array") {
      const m = this.arr[s] ?? new Map<number, Uint8Array>();
      return [...m.entries()]
        .sort((a, b) => a[0] - b[0])
        .map(([i, v]) => {
          const key = new Uint8Array(4);
          writeUint(key, 0, 4, BigInt(i), false);
          return { key, value: v.slice() };
        });
    }
    return [...this.map.values()].map((e) => ({
      key: e.key.slice(),
      value: (e.vals[s] ?? new Uint8Array(this.valueSize)).slice(),
    }));
  }

  get size(): number {
    return this.map.size;
  }

  /** A datapath operation: `args` are the key, then the value (insert, update, add). */
  op(op: string, args: Uint8Array[], cpu: number): RV | undefined {
    const key = args[0]!;
    switch (op) {
      case "get":
        return this.lookup(key, cpu);
      case "contains":
        return this.contains(key, cpu);
      case "insert":
        return this.update(key, args[1]!, cpu, "any");
      case "update":
        return this.update(key, args[1]!, cpu, "exist");
      case "remove":
        return this.remove(key);
      case "add": {
        const n = args[1]!; // an integer V (the checker's needsIntValue)
        tableAdd(this, key, readUint(n, 0, n.length, false), n.length * 8, cpu);
        return undefined;
      }
      default:
        throw new Error(`${this.kind} has no operation ${op}`);
    }
  }

  /** Tables declare no "store" maps: the differential compares them entry by entry (entries()). */
  mapBytes(map: string): Uint8Array {
    throw new Error(`interp: table \`${this.name}\` has no store map \`${map}\` (compare entries())`);
  }
}

/** array, hash, lru, lpm. lpm has no per-CPU map in the kernel: its `per_cpu` is ignored. */
export const tableStore: StoreFactory = (d: StateDecl, o) =>
  new TableStore(
    d.name,
    d.kind as TableKind,
    Number(d.params.capacity),
    d.params.per_cpu === true && d.kind !== "lpm",
    o.cpus,
    d.key,
    sizeOf(d.value!),
  );

function readPrefixLen(stored: Uint8Array): number {
  return new DataView(stored.buffer, stored.byteOffset, 4).getUint32(0, true);
}

function prefixMatches(prefix: Uint8Array, len: number, addr: Uint8Array): boolean {
  if (addr.length !== prefix.length) return false;
  for (let bit = 0; bit < len; bit++) {
    const m = 0x80 >> (bit & 7);
    if ((prefix[bit >> 3]! & m) !== (addr[bit >> 3]! & m)) return false;
  }
  return true;
}

/** `add(k, n)` on an integer value of `bits`: add in place (wrapping) or insert n when absent. */
export function tableAdd(t: TableStore, key: Uint8Array, n: bigint, bits: number, cpu: number): void {
  const v = t.lookup(key, cpu);
  const bytes = bits / 8;
  if (v) {
    const cur = readUint(v, 0, bytes, false);
    writeUint(v, 0, bytes, cur + n, false);
    return;
  }
  if (t.kind === "array" || t.kind === "lpm") return;
  const nv = new Uint8Array(t.valueSize);
  writeUint(nv, 0, bytes, n, false);
  t.update(key, nv, cpu, "noexist");
}
