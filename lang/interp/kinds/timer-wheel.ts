// timer_wheel<T>(slots, tick_ns, capacity): the semantics of record, kept in exactly the bytes the
// pure backend's map value holds (lang/blocks/timer-wheel.ts wheelLayout; stdlib nf/wheel.h), so
// mapBytes is the kernel's map value. Times are ticks t = at_ns / tick_ns (integer division).
//   state: base (the cursor's tick), len, a free list of nodes (free = index+1, 0 none), fresh
//   (nodes below it have been used), a cFFS bitmap of non-empty slots (nf/cffs.h layout), per slot head/tail (index+1, 0 empty).
//   Invariant: every element's tick lies in [base, base + slots), so slot = tick & (slots-1) and
//   the circular distance from base's slot orders elements by time.
// schedule(at, v): full (len == capacity) → false; t = max(at / tick, base); t - base ≥ slots
//   (beyond the horizon) → false; else take a node (free list first, else fresh++), append to
//   slot t's list, true.
// pop_due(now): nt = now / tick. Empty → base = max(base, nt), none. Else s = first non-empty
//   slot at or after base's slot (circular), d its distance; base + d > nt → base = max(base, nt),
//   none; else base += d, unlink s's head, push it on the free list, return its value. One bitmap
//   search per call whatever the jump, so a `now` more than a revolution ahead wraps correctly.
// per_cpu: one wheel per CPU; otherwise one shared wheel (the C holds a bpf_spin_lock).
import type { StateDecl } from "../../checked.js";
import {
  wheelLayout,
  WHEEL_BASE,
  WHEEL_FREE,
  WHEEL_FRESH,
  WHEEL_LEN,
  type WheelLayout,
} from "../../blocks/timer-wheel.js";
import type { StoreFactory } from "../kinds.js";
import { OneValueStore } from "./one-value.js";
import { readUint, writeUint, type RV } from "../layout.js";

const u64 = (b: Uint8Array): bigint => readUint(b, 0, 8, false);

export class TimerWheelStore extends OneValueStore {
  readonly kind = "timer_wheel";
  readonly layout: WheelLayout;
  readonly tick: bigint;

  constructor(name: string, decl: StateDecl, cpus: number) {
    const layout = wheelLayout(decl.params, decl.key);
    super(name, decl, cpus, layout.size);
    this.layout = layout;
    this.tick = BigInt(decl.params.tick_ns as number);
  }

  override load(map: string, cpu: number, bytes: Uint8Array): void {
    super.load(map, cpu, bytes);
    if (map === this.name) this.value(this.perCpu ? cpu : 0).fill(0, 0, 8); // the lock word is never state
  }

  // ---- field access on a shard's bytes ----
  private rd(b: Uint8Array, off: number, n: number): bigint {
    return readUint(b, off, n, false);
  }
  private wr(b: Uint8Array, off: number, n: number, v: bigint): void {
    writeUint(b, off, n, v, false);
  }
  private n32(b: Uint8Array, off: number): number {
    return Number(this.rd(b, off, 4));
  }
  private next(b: Uint8Array, node: number): number {
    return this.n32(b, this.layout.nodes + node * this.layout.node + this.layout.nextOff);
  }
  private setNext(b: Uint8Array, node: number, v: number): void {
    this.wr(b, this.layout.nodes + node * this.layout.node + this.layout.nextOff, 4, BigInt(v));
  }
  /** Byte offset of the leaf word holding slot s (cFFS: level 1 starts at word 1 when 2 levels). */
  private leafWord(s: number): number {
    return this.layout.bits + 8 * ((this.layout.levels === 1 ? 0 : 1) + (s >> 6));
  }
  /** nf_cffs_set / nf_cffs_clear: the leaf bit, and the root's bit for its word when 2 levels. */
  private bit(b: Uint8Array, s: number, on: boolean): void {
    const off = this.leafWord(s);
    let word = this.rd(b, off, 8);
    word = on ? word | (1n << BigInt(s & 63)) : word & ~(1n << BigInt(s & 63));
    this.wr(b, off, 8, word);
    if (this.layout.levels === 1) return;
    const w = BigInt(s >> 6);
    let root = this.rd(b, this.layout.bits, 8);
    if (on) root |= 1n << w;
    else if (word === 0n) root &= ~(1n << w);
    this.wr(b, this.layout.bits, 8, root);
  }
  /** The first non-empty slot at or after `p`, circularly, or -1 (the C's nf_wheel_next). */
  private nextSlot(b: Uint8Array, p: number): number {
    const isSet = (s: number): boolean => ((this.rd(b, this.leafWord(s), 8) >> BigInt(s & 63)) & 1n) === 1n;
    for (let i = 0; i < this.layout.slots; i++) {
      const s = (p + i) & (this.layout.slots - 1);
      if (isSet(s)) return s;
    }
    return -1;
  }

  len(cpu = 0): number {
    return this.n32(this.value(cpu), WHEEL_LEN);
  }
  base(cpu = 0): bigint {
    return this.rd(this.value(cpu), WHEEL_BASE, 8);
  }

  schedule(at: bigint, v: Uint8Array, cpu: number): boolean {
    const b = this.value(cpu);
    const L = this.layout;
    const len = this.n32(b, WHEEL_LEN);
    if (len >= L.capacity) return false;
    const base = this.rd(b, WHEEL_BASE, 8);
    let t = at / this.tick;
    if (t < base) t = base;
    if (t - base >= BigInt(L.slots)) return false;
    const s = Number(t & BigInt(L.slots - 1));
    let n: number;
    const free = this.n32(b, WHEEL_FREE);
    if (free !== 0) {
      n = free - 1;
      this.wr(b, WHEEL_FREE, 4, BigInt(this.next(b, n)));
    } else {
      n = this.n32(b, WHEEL_FRESH);
      this.wr(b, WHEEL_FRESH, 4, BigInt(n + 1));
    }
    b.set(v.subarray(0, L.elem), L.nodes + n * L.node);
    this.setNext(b, n, 0);
    const tail = this.n32(b, L.tail + 4 * s);
    if (tail !== 0) this.setNext(b, tail - 1, n + 1);
    else {
      this.wr(b, L.head + 4 * s, 4, BigInt(n + 1));
      this.bit(b, s, true);
    }
    this.wr(b, L.tail + 4 * s, 4, BigInt(n + 1));
    this.wr(b, WHEEL_LEN, 4, BigInt(len + 1));
    return true;
  }

  popDue(now: bigint, cpu: number): Uint8Array | undefined {
    const b = this.value(cpu);
    const L = this.layout;
    const base = this.rd(b, WHEEL_BASE, 8);
    const nt = now / this.tick;
    const idle = (): undefined => {
      if (nt > base) this.wr(b, WHEEL_BASE, 8, nt);
      return undefined;
    };
    const len = this.n32(b, WHEEL_LEN);
    if (len === 0) return idle();
    const p = Number(base & BigInt(L.slots - 1));
    const s = this.nextSlot(b, p);
    if (s < 0) return idle(); // cannot happen while len > 0 (the C checks it too)
    const d = BigInt((s - p) & (L.slots - 1));
    if (base + d > nt) return idle();
    this.wr(b, WHEEL_BASE, 8, base + d);
    const n = this.n32(b, L.head + 4 * s) - 1;
    const nx = this.next(b, n);
    this.wr(b, L.head + 4 * s, 4, BigInt(nx));
    if (nx === 0) {
      this.wr(b, L.tail + 4 * s, 4, 0n);
      this.bit(b, s, false);
    }
    this.setNext(b, n, this.n32(b, WHEEL_FREE));
    this.wr(b, WHEEL_FREE, 4, BigInt(n + 1));
    this.wr(b, WHEEL_LEN, 4, BigInt(len - 1));
    return b.slice(L.nodes + n * L.node, L.nodes + n * L.node + L.elem);
  }

  op(op: string, args: Uint8Array[], cpu: number): RV | undefined {
    switch (op) {
      case "schedule":
        return this.schedule(u64(args[0]!), args[1]!, cpu);
      case "pop_due":
        return this.popDue(u64(args[0]!), cpu);
      case "len":
        return BigInt(this.len(cpu));
      default:
        throw new Error(`timer_wheel has no operation ${op}`);
    }
  }
}

export const timerWheelStore: StoreFactory = (d, o) => new TimerWheelStore(d.name, d, o.cpus);
