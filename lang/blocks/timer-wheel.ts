// `queue NAME: timer_wheel<T>(slots = S, tick_ns = N, capacity = C)`: a Carousel timing wheel.
// S slots of N ns each cover a horizon of S·N ns ahead of the wheel's cursor; every slot is a FIFO
// list of elements T drawn from one pool of C nodes (an uneven load fits). Semantics of record:
// lang/interp/kinds/timer-wheel.ts and docs/blocks/timer_wheel.md. The layout helpers below are
// the one description of the pure backend's memory, shared by the interpreter (mapBytes) and the
// compiler (compiler/blocks/timer-wheel.ts), so the two cannot drift.
import { alignOf, BOOL, roundUp, sizeOf, U32, U64, type Ty } from "../types.js";
import { K, OPTION_K, PER_CPU, ty, type BlockDef, type Params } from "./registry.js";

/** Byte offsets of the single map value `struct <nf>_<name>_wheel` (see compiler/blocks/timer-wheel.ts). */
export interface WheelLayout {
  slots: number;
  /** cFFS levels of the slot bitmap (1: slots ≤ 64, else 2) and its u64 words (1 or 65), in the
   *  layout of stdlib nf/cffs.h and runtime-kmod's nfc_rt_cffs_* (root word first). */
  levels: number;
  words: number;
  capacity: number;
  /** Element size, offset of `next` in a node, node size (stride). */
  elem: number;
  nextOff: number;
  node: number;
  /** Offsets in the value: 0 lock (+pad), 8 base, 16 len, 20 free, 24 fresh, 28 pad, 32 bits. */
  bits: number;
  head: number;
  tail: number;
  nodes: number;
  size: number;
}

export const WHEEL_BASE = 8;
export const WHEEL_LEN = 16;
export const WHEEL_FREE = 20;
export const WHEEL_FRESH = 24;

export function wheelLayout(p: Params, t: Ty): WheelLayout {
  const slots = Number(p.slots);
  const capacity = Number(p.capacity);
  const levels = slots <= 64 ? 1 : 2;
  const words = levels === 1 ? 1 : 65;
  const elem = sizeOf(t);
  const nextOff = roundUp(elem, 4);
  const node = roundUp(nextOff + 4, Math.max(4, alignOf(t)));
  const bits = 32;
  const head = bits + 8 * words;
  const tail = head + 4 * slots;
  const nodes = roundUp(tail + 4 * slots, 8);
  return {
    slots,
    levels,
    words,
    capacity,
    elem,
    nextOff,
    node,
    bits,
    head,
    tail,
    nodes,
    size: roundUp(nodes + capacity * node, 8),
  };
}

export const timerWheelBlock: BlockDef<"timer_wheel"> = {
  family: "queue",
  name: "timer_wheel",
  typeParams: ["K"],
  params: [
    {
      kind: "int",
      name: "slots",
      min: 2,
      max: 4096,
      pow2: true,
      doc: "slots on the wheel (a power of two, at most 4096)",
    },
    { kind: "int", name: "tick_ns", min: 1, max: 2 ** 40, doc: "nanoseconds per slot" },
    { kind: "int", name: "capacity", min: 1, max: 65536, doc: "elements the wheel holds over all slots" },
    PER_CPU,
  ],
  forms: [["slots", "tick_ns", "capacity"]],
  defaults: {},
  derive: (g) => ({
    slots: Number(g.slots),
    tick_ns: Number(g.tick_ns),
    capacity: Number(g.capacity),
    per_cpu: g.per_cpu === true,
  }),
  memoryBytes: (p, key) => wheelLayout(p, key).size,
  oneValue: true,
  ops: {
    schedule: {
      params: [
        { name: "at_ns", ty: ty(U64) },
        { name: "v", ty: K },
      ],
      result: ty(BOOL),
      mutates: true,
      datapath: true,
      doc: "queue v in the slot of time at_ns (a past time: the cursor's slot); false when the wheel is full or at_ns is at or beyond the horizon (cursor tick + slots)·tick_ns",
    },
    pop_due: {
      params: [{ name: "now_ns", ty: ty(U64) }],
      result: OPTION_K,
      mutates: true,
      datapath: true,
      doc: "remove and return one element whose slot time ≤ now_ns (earliest slot first, FIFO within a slot); none when nothing is due. At most one bitmap search per call, whatever the jump",
    },
    len: {
      params: [],
      result: ty(U32),
      mutates: false,
      datapath: true,
      doc: "elements on the wheel",
    },
  },
  doc: "Carousel timing wheel: schedule elements at a time, pop them once due",
};
