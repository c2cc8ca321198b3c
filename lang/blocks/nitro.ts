// `sketch NAME: nitro<K>(rows = R, width = W, p = 0.0625)` (or `one_in = 16`): NitroSketch
// (Liu et al., SIGCOMM 2019) over Count Sketch rows. Each row update is sampled with probability
// p = 1 / one_in, one_in = 2^s (s = 0..16), and a sampled row adds sign_i * n * one_in, so the
// estimate (count_sketch's median) stays unbiased. Which rows are sampled comes from a per-CPU
// countdown of rows to skip, refilled from a fixed, deterministic stream of geometric(p) gaps
// (lang/interp/kinds/nitro.ts defines it; docs/blocks/nitro.md explains why it is not random).
import { sizeOf, U32, VOID } from "../types.js";
import { K, PER_CPU, ty, type BlockDef } from "./registry.js";

/** Largest sampling shift s (p = 2^-s). */
export const NITRO_MAX_SHIFT = 16;

/** one_in from the given parameters: `one_in` itself, else 1/p (re-checked: a power of two). */
export function nitroOneIn(g: { p?: number | boolean; one_in?: number | boolean }): number {
  if (typeof g.one_in === "number") return g.one_in;
  if (typeof g.p === "number") {
    const inv = 1 / g.p;
    // 0.1 is not exactly representable; 1/0.0625 is exact, 1/0.3 is not near an integer
    return Math.abs(inv - Math.round(inv)) < 1e-9 ? Math.round(inv) : inv;
  }
  return 0; // neither given: NF4004 on one_in names the parameter
}

export const nitroBlock: BlockDef<"nitro"> = {
  family: "sketch",
  name: "nitro",
  typeParams: ["K"],
  params: [
    {
      kind: "int",
      name: "rows",
      min: 1,
      max: 16,
      doc: "number of Count Sketch rows (odd counts give an exact median)",
    },
    {
      kind: "int",
      name: "width",
      min: 1,
      max: 1 << 24,
      pow2: true,
      doc: "counters per row (a power of two)",
    },
    {
      kind: "decimal",
      name: "p",
      min: 0,
      max: 1,
      doc: "row sampling probability, a power of two 1/2 .. 1/65536 (or give `one_in`)",
    },
    {
      kind: "int",
      name: "one_in",
      min: 1,
      max: 1 << NITRO_MAX_SHIFT,
      pow2: true,
      doc: "1/p: one row update in `one_in` is applied, scaled by `one_in` (1 = every row)",
    },
    PER_CPU,
  ],
  forms: [["rows", "width"]],
  checkKey: (k) =>
    sizeOf(k) >= 1 && sizeOf(k) <= 64 ? undefined : "a type of 1..64 bytes (the key is hashed)",
  defaults: {},
  derive: (g) => ({
    rows: Number(g.rows),
    width: Number(g.width),
    one_in: nitroOneIn(g),
    per_cpu: g.per_cpu === true,
  }),
  // cells + the per-CPU countdown/cursor pair
  memoryBytes: (p) => Number(p.rows) * Number(p.width) * 4 + 8,
  ops: {
    add: {
      params: [
        { name: "key", ty: K },
        { name: "n", ty: ty(U32), default: 1n },
      ],
      result: ty(VOID),
      mutates: true,
      datapath: true,
      doc: "for each row the countdown samples, add sign_i(key) * n * one_in to the key's cell",
    },
    estimate: {
      params: [{ name: "key", ty: K }],
      result: ty(U32),
      mutates: false,
      datapath: true,
      doc: "the median over rows of sign_i * cell, 0 when negative (a multiple of one_in for odd rows)",
    },
  },
  doc: "NitroSketch: Count Sketch rows updated with geometric row sampling (probability p)",
};
