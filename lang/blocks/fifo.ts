// `queue NAME: fifo<T>(capacity = C)`: a bounded first-in first-out queue of elements T (the
// structure's `key`). push appends (false when C elements are held), pop removes the oldest (none
// when empty). Semantics of record: lang/interp/kinds/fifo.ts and docs/blocks/fifo.md.
// fifoLayout is the one description of the pure backend's map value, shared by the interpreter
// (mapBytes) and the compiler (compiler/blocks/queues.ts):
//   struct { struct bpf_spin_lock lock; struct nf_fifo_hdr { u32 head, len; } hdr; u32 pad;
//            T elem[C]; }     (stdlib/include/nf/queue.h; per_cpu: the lock is an unused u32)
import { alignOf, BOOL, roundUp, sizeOf, U32, type Ty } from "../types.js";
import { K, OPTION_K, PER_CPU, ty, type BlockDef, type Params } from "./registry.js";

/** Largest element, bytes: elements are copied with inlined loads/stores (and kfunc lists take ≤ 256). */
export const QUEUE_ELEM_MAX = 64;

export const checkQueueElem = (t: Ty): string | undefined => {
  const n = sizeOf(t);
  return n >= 1 && n <= QUEUE_ELEM_MAX ? undefined : `a type of 1..${QUEUE_ELEM_MAX} bytes`;
};

export interface FifoLayout {
  capacity: number;
  /** sizeof(T): the stride of elem[]. */
  elem: number;
  head: number;
  len: number;
  elems: number;
  size: number;
}

export function fifoLayout(p: Params, t: Ty): FifoLayout {
  const capacity = Number(p.capacity);
  const elem = sizeOf(t);
  return {
    capacity,
    elem,
    head: 4,
    len: 8,
    elems: 16,
    size: roundUp(16 + capacity * elem, Math.max(4, alignOf(t))),
  };
}

export const fifoBlock: BlockDef<"fifo"> = {
  family: "queue",
  name: "fifo",
  typeParams: ["K"],
  params: [{ kind: "int", name: "capacity", min: 1, max: 16384, doc: "elements the queue holds" }, PER_CPU],
  forms: [["capacity"]],
  defaults: {},
  checkKey: checkQueueElem,
  derive: (g) => ({ capacity: Number(g.capacity), per_cpu: g.per_cpu === true }),
  memoryBytes: (p, key) => fifoLayout(p, key).size,
  oneValue: true,
  ops: {
    push: {
      params: [{ name: "v", ty: K }],
      result: ty(BOOL),
      mutates: true,
      datapath: true,
      doc: "append a copy of v; false (and no change) when the queue holds `capacity` elements",
    },
    pop: {
      params: [],
      result: OPTION_K,
      mutates: true,
      datapath: true,
      doc: "remove and return the oldest element; none when the queue is empty",
    },
    len: {
      params: [],
      result: ty(U32),
      mutates: false,
      datapath: true,
      doc: "elements held",
    },
  },
  doc: "bounded FIFO queue",
};
