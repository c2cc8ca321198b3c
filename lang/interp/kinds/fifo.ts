// fifo<T>(capacity): the semantics of record, kept in exactly the bytes the pure backend's map
// value holds (lang/blocks/fifo.ts fifoLayout; stdlib nf/queue.h), so mapBytes is the kernel's
// map value. State: head (index of the oldest element, < capacity), len; element i (0 = oldest)
// is elem[(head + i) mod capacity]. The all-zero value is the empty queue.
// push(v): len == capacity → false, nothing changes; else elem[(head + len) mod capacity] = v,
//   len += 1, true.
// pop(): len == 0 → none, nothing changes; else the element at head (a copy), head = (head + 1)
//   mod capacity, len -= 1. A popped slot keeps its bytes until overwritten.
// len(): len.
// per_cpu: one queue per CPU; otherwise one shared queue (the C holds a bpf_spin_lock). The kmod
// backend (runtime-kmod list buckets) has the same results; its state is not in these bytes.
import type { StateDecl } from "../../checked.js";
import { fifoLayout, type FifoLayout } from "../../blocks/fifo.js";
import { OneValueStore } from "./one-value.js";
import type { StoreFactory } from "../kinds.js";
import { readUint, writeUint, type RV } from "../layout.js";

export class FifoStore extends OneValueStore {
  readonly kind = "fifo";
  readonly layout: FifoLayout;

  constructor(name: string, decl: StateDecl, cpus: number) {
    const layout = fifoLayout(decl.params, decl.key);
    super(name, decl, cpus, layout.size);
    this.layout = layout;
  }

  /** Control plane: push like the datapath (on CPU 0's queue when per_cpu). */
  entry(key: Uint8Array): boolean {
    return this.push(this.value(0), key);
  }

  op(op: string, args: Uint8Array[], cpu: number): RV | undefined {
    const b = this.value(cpu);
    switch (op) {
      case "push":
        return this.push(b, args[0]!);
      case "pop":
        return this.pop(b);
      case "len":
        return readUint(b, this.layout.len, 4, false);
      default:
        throw new Error(`fifo has no operation ${op}`);
    }
  }

  /** The held elements, oldest first (tests). */
  elements(cpu = 0): Uint8Array[] {
    const b = this.value(cpu);
    const L = this.layout;
    const head = Number(readUint(b, L.head, 4, false));
    const len = Number(readUint(b, L.len, 4, false));
    const out: Uint8Array[] = [];
    for (let i = 0; i < len; i++) {
      const at = L.elems + ((head + i) % L.capacity) * L.elem;
      out.push(b.slice(at, at + L.elem));
    }
    return out;
  }

  private push(b: Uint8Array, v: Uint8Array): boolean {
    const L = this.layout;
    const head = Number(readUint(b, L.head, 4, false));
    const len = Number(readUint(b, L.len, 4, false));
    if (len >= L.capacity) return false;
    let slot = head + len;
    if (slot >= L.capacity) slot -= L.capacity;
    if (slot >= L.capacity) return false; // a corrupted header, as the C
    b.set(v.subarray(0, L.elem), L.elems + slot * L.elem);
    writeUint(b, L.len, 4, BigInt(len + 1), false);
    return true;
  }

  private pop(b: Uint8Array): Uint8Array | undefined {
    const L = this.layout;
    const head = Number(readUint(b, L.head, 4, false));
    const len = Number(readUint(b, L.len, 4, false));
    if (len === 0 || head >= L.capacity) return undefined;
    const at = L.elems + head * L.elem;
    const v = b.slice(at, at + L.elem);
    writeUint(b, L.head, 4, BigInt(head + 1 === L.capacity ? 0 : head + 1), false);
    writeUint(b, L.len, 4, BigInt(len - 1), false);
    return v;
  }
}

export const fifoStore: StoreFactory = (d, o) => new FifoStore(d.name, d, o.cpus);
