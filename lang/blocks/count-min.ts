// `sketch NAME: count_min<K>(rows = R, width = W)` or `(epsilon = e, delta = d)`: a Count-Min
// sketch of u32 counters. width = next power of two of ceil(e / epsilon); rows = ceil(ln(1/delta)).
import { U32, VOID } from "../types.js";
import { K, nextPow2, PER_CPU, ty, type BlockDef } from "./registry.js";

export function countMinFromError(epsilon: number, delta: number): { rows: number; width: number } {
  return { width: nextPow2(Math.ceil(Math.E / epsilon)), rows: Math.max(1, Math.ceil(Math.log(1 / delta))) };
}

export const countMinBlock: BlockDef<"count_min"> = {
  family: "sketch",
  name: "count_min",
  typeParams: ["K"],
  params: [
    { kind: "int", name: "rows", min: 1, max: 16, doc: "number of hash rows" },
    {
      kind: "int",
      name: "width",
      min: 1,
      max: 1 << 24,
      pow2: true,
      doc: "counters per row (a power of two)",
    },
    { kind: "decimal", name: "epsilon", min: 0, max: 1, doc: "error bound as a fraction of the total count" },
    { kind: "decimal", name: "delta", min: 0, max: 1, doc: "probability of exceeding the error bound" },
    PER_CPU,
  ],
  forms: [
    ["rows", "width"],
    ["epsilon", "delta"],
  ],
  defaults: {},
  derive: (g) => {
    const base =
      typeof g.epsilon === "number" && typeof g.delta === "number"
        ? countMinFromError(g.epsilon, g.delta)
        : { rows: g.rows, width: g.width };
    return { rows: Number(base.rows), width: Number(base.width), per_cpu: g.per_cpu === true };
  },
  memoryBytes: (p) => Number(p.rows) * Number(p.width) * 4,
  ops: {
    add: {
      params: [
        { name: "key", ty: K },
        { name: "n", ty: ty(U32), default: 1n },
      ],
      result: ty(VOID),
      mutates: true,
      datapath: true,
      doc: "add n (default 1) to the key's counters",
    },
    estimate: {
      params: [{ name: "key", ty: K }],
      result: ty(U32),
      mutates: false,
      datapath: true,
      doc: "the minimum of the key's counters",
    },
  },
  doc: "Count-Min sketch: frequency estimates that never under-count",
};
