// pq<T>(priorities, capacity): Eiffel's integer priority queue — the semantics of record, kept in
// exactly the bytes the pure backend's map value holds (lang/blocks/pq.ts pqLayout; stdlib
// nf/queue.h), so mapBytes is the kernel's map value. The all-zero value is the empty queue.
//   state: len; a pool of `capacity` slots: free (slot + 1 of the top of the free stack, 0 none,
//   linked through next[]), fresh (slots below it have been used); per rank head/tail (slot + 1,
//   0 empty) of a FIFO list linked through next[] (slot + 1, 0 end); a cFFS bitmap (nf/cffs.h
//   layout) whose leaf r is set iff rank r's list is non-empty.
// push(rank, v): rank ≥ priorities or len == capacity → false, nothing changes. Else take a slot
//   (free stack first, else fresh++), store v, append it to rank's list, set leaf rank, true.
// pop_min(): empty → none. Else r = the lowest set leaf; unlink r's head slot s, return its
//   element (a copy); if r's list is now empty, tail[r] = 0 and leaf r is cleared; push s on the
//   free stack (next[s] = free, free = s + 1); len -= 1. A freed slot keeps its bytes.
// len(): len.
// per_cpu: one queue per CPU; otherwise one shared queue (the C holds a bpf_spin_lock). The kmod
// backend (list buckets + cFFS kfuncs) gives the same results; its state is not in these bytes.
import type { StateDecl } from "../../checked.js";
import { pqLayout, type PqLayout } from "../../blocks/pq.js";
import { OneValueStore } from "./one-value.js";
import type { StoreFactory } from "../kinds.js";
import { readUint, writeUint, type RV } from "../layout.js";

/** Number of trailing zero bits of a non-zero u64. */
function ctz(w: bigint): number {
  let n = 0;
  while (((w >> BigInt(n)) & 1n) === 0n) n++;
  return n;
}

export class PqStore extends OneValueStore {
  readonly kind = "pq";
  readonly layout: PqLayout;

  constructor(name: string, decl: StateDecl, cpus: number) {
    const layout = pqLayout(decl.params, decl.key);
    super(name, decl, cpus, layout.size);
    this.layout = layout;
  }

  op(op: string, args: Uint8Array[], cpu: number): RV | undefined {
    const b = this.value(cpu);
    switch (op) {
      case "push":
        return this.push(b, Number(readUint(args[0]!, 0, 4, false)), args[1]!);
      case "pop_min":
        return this.popMin(b);
      case "len":
        return this.u32(b, this.layout.len);
      default:
        throw new Error(`pq has no operation ${op}`);
    }
  }

  /** The held elements per rank, each oldest first (tests). */
  ranks(cpu = 0): Map<number, Uint8Array[]> {
    const b = this.value(cpu);
    const L = this.layout;
    const out = new Map<number, Uint8Array[]>();
    for (let r = 0; r < L.priorities; r++) {
      const list: Uint8Array[] = [];
      for (
        let s = Number(this.u32(b, L.head + 4 * r));
        s !== 0 && list.length <= L.capacity;
        s = Number(this.u32(b, L.next + 4 * (s - 1)))
      )
        list.push(b.slice(L.elems + (s - 1) * L.elem, L.elems + s * L.elem));
      if (list.length) out.set(r, list);
    }
    return out;
  }

  // ---- field access ----
  private u32(b: Uint8Array, off: number): bigint {
    return readUint(b, off, 4, false);
  }
  private set32(b: Uint8Array, off: number, v: number): void {
    writeUint(b, off, 4, BigInt(v), false);
  }
  private word(b: Uint8Array, i: number): bigint {
    return readUint(b, this.layout.bm + 8 * i, 8, false);
  }
  private setWord(b: Uint8Array, i: number, w: bigint): void {
    writeUint(b, this.layout.bm + 8 * i, 8, w, false);
  }

  // ---- cFFS (nf/cffs.h): level l starts at word (64^l - 1) / 63 ----
  private cffsSet(b: Uint8Array, leaf: number): void {
    const L = this.layout;
    for (let l = 0; l < L.levels; l++) {
      const i = Math.floor(leaf / 64 ** (L.levels - 1 - l)); // bit index at level l
      const w = (64 ** l - 1) / 63 + Math.floor(i / 64);
      this.setWord(b, w, this.word(b, w) | (1n << BigInt(i % 64)));
    }
  }
  private cffsClear(b: Uint8Array, leaf: number): void {
    const L = this.layout;
    for (let l = L.levels - 1; l >= 0; l--) {
      const i = Math.floor(leaf / 64 ** (L.levels - 1 - l));
      const w = (64 ** l - 1) / 63 + Math.floor(i / 64);
      const nw = this.word(b, w) & ~(1n << BigInt(i % 64));
      this.setWord(b, w, nw);
      if (nw !== 0n) return;
    }
  }
  private cffsFirst(b: Uint8Array): number {
    let idx = 0;
    for (let l = 0; l < this.layout.levels; l++) {
      const w = this.word(b, (64 ** l - 1) / 63 + idx);
      if (w === 0n) return -1;
      idx = idx * 64 + ctz(w);
    }
    return idx;
  }

  private push(b: Uint8Array, rank: number, v: Uint8Array): boolean {
    const L = this.layout;
    const len = Number(this.u32(b, L.len));
    if (rank >= L.priorities || len >= L.capacity) return false;
    let s: number;
    const free = Number(this.u32(b, L.free));
    if (free) {
      s = free - 1;
      if (s >= L.capacity) return false;
      this.set32(b, L.free, Number(this.u32(b, L.next + 4 * s)));
    } else {
      s = Number(this.u32(b, L.fresh));
      if (s >= L.capacity) return false;
      this.set32(b, L.fresh, s + 1);
    }
    this.set32(b, L.next + 4 * s, 0);
    b.set(v.subarray(0, L.elem), L.elems + s * L.elem);
    const t = Number(this.u32(b, L.tail + 4 * rank)) - 1;
    if (this.u32(b, L.head + 4 * rank) !== 0n && t >= 0 && t < L.capacity)
      this.set32(b, L.next + 4 * t, s + 1);
    else this.set32(b, L.head + 4 * rank, s + 1);
    this.set32(b, L.tail + 4 * rank, s + 1);
    this.cffsSet(b, rank);
    this.set32(b, L.len, len + 1);
    return true;
  }

  private popMin(b: Uint8Array): Uint8Array | undefined {
    const L = this.layout;
    const r = this.cffsFirst(b);
    if (r < 0 || r >= L.priorities) return undefined;
    const s = Number(this.u32(b, L.head + 4 * r)) - 1;
    if (s < 0 || s >= L.capacity) return undefined;
    const v = b.slice(L.elems + s * L.elem, L.elems + (s + 1) * L.elem);
    const nxt = Number(this.u32(b, L.next + 4 * s));
    this.set32(b, L.head + 4 * r, nxt);
    if (nxt === 0) {
      this.set32(b, L.tail + 4 * r, 0);
      this.cffsClear(b, r);
    }
    this.set32(b, L.next + 4 * s, Number(this.u32(b, L.free)));
    this.set32(b, L.free, s + 1);
    this.set32(b, L.len, Number(this.u32(b, L.len)) - 1);
    return v;
  }
}

export const pqStore: StoreFactory = (d, o) => new PqStore(d.name, d, o.cpus);
