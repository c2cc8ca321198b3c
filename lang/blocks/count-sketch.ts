// `sketch NAME: count_sketch<K>(rows = R, width = W)`: a Count Sketch (Charikar et al.) of signed
// 32-bit counters. Row i adds sign_i(k) * n to the key's cell; the estimate is the median over rows
// of sign_i * cell (floor of the mean of the middle two for an even row count), clamped to 0 from
// below because the language has no signed integers. Cell numbering, hash, signs and median are
// runtime-kmod's nfc_rt_cs_update / nfc_rt_cs_estimate exactly (lang/interp/kinds/count-sketch.ts).
import { sizeOf, U32, VOID } from "../types.js";
import { K, PER_CPU, ty, type BlockDef } from "./registry.js";

export const countSketchBlock: BlockDef<"count_sketch"> = {
  family: "sketch",
  name: "count_sketch",
  typeParams: ["K"],
  params: [
    {
      kind: "int",
      name: "rows",
      min: 1,
      max: 16,
      doc: "number of hash rows (odd counts give an exact median)",
    },
    {
      kind: "int",
      name: "width",
      min: 1,
      max: 1 << 24,
      pow2: true,
      doc: "counters per row (a power of two)",
    },
    PER_CPU,
  ],
  forms: [["rows", "width"]],
  checkKey: (k) =>
    sizeOf(k) >= 1 && sizeOf(k) <= 64 ? undefined : "a type of 1..64 bytes (the key is hashed)",
  defaults: {},
  derive: (g) => ({ rows: Number(g.rows), width: Number(g.width), per_cpu: g.per_cpu === true }),
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
      doc: "add sign_i(key) * n to the key's cell in every row (cells wrap modulo 2^32)",
    },
    estimate: {
      params: [{ name: "key", ty: K }],
      result: ty(U32),
      mutates: false,
      datapath: true,
      doc: "the median over rows of sign_i * cell, 0 when that median is negative",
    },
  },
  doc: "Count Sketch: unbiased frequency estimates from signed counters (median of rows)",
};
