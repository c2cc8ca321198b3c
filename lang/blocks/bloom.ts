// `sketch NAME: bloom<K>(bits = B, hashes = H)` or `(capacity = n, fp = p)`: a Bloom filter.
// bits = next power of two of ceil(-n ln p / ln(2)^2); hashes = round(bits / n * ln 2), 1..16.
import { BOOL, VOID } from "../types.js";
import { K, nextPow2, PER_CPU, ty, type BlockDef } from "./registry.js";

/** The smallest filter (`bits`). */
export const BLOOM_MIN_BITS = 8;

export function bloomFromRate(capacity: number, fp: number): { bits: number; hashes: number } {
  // At least the smallest filter `bits` allows (8): a tiny capacity at a loose rate asks for fewer.
  const bits = Math.max(
    BLOOM_MIN_BITS,
    nextPow2(Math.ceil((-capacity * Math.log(fp)) / (Math.LN2 * Math.LN2))),
  );
  const hashes = Math.min(16, Math.max(1, Math.round((bits / capacity) * Math.LN2)));
  return { bits, hashes };
}

export const bloomBlock: BlockDef<"bloom"> = {
  family: "sketch",
  name: "bloom",
  typeParams: ["K"],
  params: [
    {
      kind: "int",
      name: "bits",
      min: BLOOM_MIN_BITS,
      max: 2 ** 31,
      pow2: true,
      doc: "filter size in bits (a power of two)",
    },
    { kind: "int", name: "hashes", min: 1, max: 16, doc: "hash functions per key" },
    { kind: "int", name: "capacity", min: 1, max: 1 << 24, doc: "expected number of distinct keys" },
    { kind: "decimal", name: "fp", min: 0, max: 1, doc: "target false-positive rate at capacity" },
    PER_CPU,
  ],
  forms: [
    ["bits", "hashes"],
    ["capacity", "fp"],
  ],
  defaults: {},
  derive: (g) => {
    const base =
      typeof g.capacity === "number" && typeof g.fp === "number"
        ? bloomFromRate(g.capacity, g.fp)
        : { bits: g.bits, hashes: g.hashes };
    return { bits: Number(base.bits), hashes: Number(base.hashes), per_cpu: g.per_cpu === true };
  },
  memoryBytes: (p) => Number(p.bits) / 8,
  ops: {
    insert: {
      params: [{ name: "key", ty: K }],
      result: ty(VOID),
      mutates: true,
      datapath: true,
      doc: "set the key's bits",
    },
    contains: {
      params: [{ name: "key", ty: K }],
      result: ty(BOOL),
      mutates: false,
      datapath: true,
      doc: "true if possibly inserted",
    },
  },
  doc: "Bloom filter: set membership with false positives, never false negatives",
};
