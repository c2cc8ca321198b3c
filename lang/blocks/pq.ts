// `queue NAME: pq<T>(priorities = P, capacity = C)`: Eiffel's integer priority queue. Elements T
// (the structure's `key`) are pushed with a rank 0..P-1; pop_min removes the oldest element of the
// lowest non-empty rank. C counts elements over ALL ranks (one pool of slots, as runtime-kmod's
// list buckets). Semantics of record: lang/interp/kinds/pq.ts and docs/blocks/pq.md.
// pqLayout is the one description of the pure backend's map value, shared by the interpreter and
// the compiler (compiler/blocks/queues.ts); stdlib/include/nf/queue.h documents the fields:
//   struct { struct bpf_spin_lock lock; struct nf_pq_hdr { u32 len, free, fresh; } hdr;
//            u32 head[P], tail[P], next[C]; u64 bm[W]; T elem[C]; }
// W = cFFS words (nf/cffs.h): 1 for P ≤ 64, 65 for P ≤ 4096.
import { BOOL, roundUp, sizeOf, U32, type Ty } from "../types.js";
import { checkQueueElem } from "./fifo.js";
import { K, OPTION_K, PER_CPU, ty, type BlockDef, type Params } from "./registry.js";

export interface PqLayout {
  priorities: number;
  capacity: number;
  levels: number;
  words: number;
  elem: number;
  len: number;
  free: number;
  fresh: number;
  head: number;
  tail: number;
  next: number;
  bm: number;
  elems: number;
  size: number;
}

export function pqLayout(p: Params, t: Ty): PqLayout {
  const priorities = Number(p.priorities);
  const capacity = Number(p.capacity);
  const levels = priorities <= 64 ? 1 : 2;
  const words = levels === 1 ? 1 : 65;
  const elem = sizeOf(t);
  const head = 16;
  const tail = head + 4 * priorities;
  const next = tail + 4 * priorities;
  const bm = roundUp(next + 4 * capacity, 8);
  const elems = bm + 8 * words;
  return {
    priorities,
    capacity,
    levels,
    words,
    elem,
    len: 4,
    free: 8,
    fresh: 12,
    head,
    tail,
    next,
    bm,
    elems,
    size: roundUp(elems + capacity * elem, 8),
  };
}

export const pqBlock: BlockDef<"pq"> = {
  family: "queue",
  name: "pq",
  typeParams: ["K"],
  params: [
    {
      kind: "int",
      name: "priorities",
      min: 1,
      max: 4096,
      doc: "ranks 0..priorities-1 (at most 4096: a two-level cFFS)",
    },
    { kind: "int", name: "capacity", min: 1, max: 16384, doc: "elements the queue holds over all ranks" },
    PER_CPU,
  ],
  forms: [["priorities", "capacity"]],
  defaults: {},
  checkKey: checkQueueElem,
  derive: (g) => ({
    priorities: Number(g.priorities),
    capacity: Number(g.capacity),
    per_cpu: g.per_cpu === true,
  }),
  memoryBytes: (p, key) => pqLayout(p, key).size,
  oneValue: true,
  ops: {
    push: {
      params: [
        { name: "rank", ty: ty(U32) },
        { name: "v", ty: K },
      ],
      result: ty(BOOL),
      mutates: true,
      datapath: true,
      doc: "append a copy of v to rank's FIFO; false (and no change) when `capacity` elements are held or rank ≥ priorities",
    },
    pop_min: {
      params: [],
      result: OPTION_K,
      mutates: true,
      datapath: true,
      doc: "remove and return the oldest element of the lowest non-empty rank; none when empty",
    },
    len: {
      params: [],
      result: ty(U32),
      mutates: false,
      datapath: true,
      doc: "elements held over all ranks",
    },
  },
  doc: "Eiffel integer priority queue (cFFS bitmap + per-rank FIFOs)",
};
