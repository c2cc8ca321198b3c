// `sketch NAME: hll<K>(precision = p, groups = G)`: G independent HyperLogLog distinct counters of
// m = 2^p u8 registers each. `add(key, group)` / `estimate(group)` use group & (G - 1). Each group
// keeps, beside its registers, the number of non-zero registers and the deficit of the fixed-point
// harmonic sum, updated when a register grows, so `estimate` is O(1) integer math. The integer
// formula lives here (shared by the interpreter and the compiler, which emits the constants);
// docs/blocks/hll.md gives its error against the float formula.
import { sizeOf, U32, VOID } from "../types.js";
import { K, PER_CPU, ty, type BlockDef } from "./registry.js";

export const HLL_MIN_P = 4;
export const HLL_MAX_P = 14;
export const HLL_MAX_GROUPS = 65536;
export const HLL_KEY_MAX = 64;
/** Bytes before the registers of a group: u32 lock-or-unused, u32 nonzero, u64 deficit. */
export const HLL_GROUP_HEADER = 16;
/** Fractional bits of the logarithm used by linear counting. */
export const HLL_LOG_FRAC = 20;
/** ln 2 in Q24. */
export const HLL_LN2_Q24 = 11629080n;

/** Fixed-point shift S of the harmonic sum: term(r) = 2^(S - r), S = 64 - 2p (so m * 2^S = 2^(64-p)). */
export function hllShift(p: number): number {
  return 64 - 2 * p;
}

/** Bytes of one group: header + 2^p registers (a multiple of 8 for p ≥ 3). */
export function hllGroupBytes(p: number): number {
  return HLL_GROUP_HEADER + (1 << p);
}

/** α_m (Flajolet et al. 2007) for m = 2^p registers. */
export function hllAlpha(p: number): number {
  const m = 2 ** p;
  if (m === 16) return 0.673;
  if (m === 32) return 0.697;
  if (m === 64) return 0.709;
  return 0.7213 / (1 + 1.079 / m);
}

/** floor(α_m · m² · 2^S) = floor(α_m · 2^64): the raw estimate is this divided by the sum. */
export function hllAlphaNumerator(p: number): bigint {
  return BigInt(Math.floor(hllAlpha(p) * 2 ** 64));
}

/** The harmonic-sum term of a register value r in fixed point: 2^(S - r), 0 when r > S. */
export function hllTerm(p: number, r: number): bigint {
  const s = hllShift(p);
  return r <= s ? 1n << BigInt(s - r) : 0n;
}

/** floor(log2(v) · 2^20) by the bit-by-bit squaring method, exactly as nf_hll_log2_q20 (v ≥ 1). */
export function hllLog2Q20(v: number): bigint {
  let e = 0;
  while (v >> (e + 1)) e++;
  let x = BigInt(v) << BigInt(30 - e); // [2^30, 2^31): 1.30 fixed point
  let frac = 0n;
  for (let i = 1; i <= HLL_LOG_FRAC; i++) {
    x = (x * x) >> 30n;
    if (x >= 1n << 31n) {
      x >>= 1n;
      frac |= 1n << BigInt(HLL_LOG_FRAC - i);
    }
  }
  return (BigInt(e) << BigInt(HLL_LOG_FRAC)) | frac;
}

/**
 * The integer estimate from a group's counters (the formula of record):
 *   sum = 2^(64-p) - deficit;  raw = floor(A / max(sum, 1)), A = hllAlphaNumerator(p)
 *   zeros = m - nonzero; if zeros > 0 and 2·raw ≤ 5m (linear-counting range):
 *     est = (m · ((p << 20) - log2q20(zeros)) · LN2_Q24) >> 44     (= m·ln(m/zeros))
 *   else est = raw;  result min(est, 2^32 - 1).
 */
export function hllEstimate(p: number, nonzero: number, deficit: bigint): bigint {
  const m = 1 << p;
  const sum = (1n << BigInt(64 - p)) - deficit;
  const raw = hllAlphaNumerator(p) / (sum > 0n ? sum : 1n);
  const zeros = m - nonzero;
  let est = raw;
  if (zeros > 0 && 2n * raw <= BigInt(5 * m)) {
    const diff = (BigInt(p) << BigInt(HLL_LOG_FRAC)) - hllLog2Q20(zeros);
    est = (BigInt(m) * diff * HLL_LN2_Q24) >> BigInt(HLL_LOG_FRAC + 24);
  }
  return est > 0xffffffffn ? 0xffffffffn : est;
}

export const hllBlock: BlockDef<"hll"> = {
  family: "sketch",
  name: "hll",
  typeParams: ["K"],
  params: [
    {
      kind: "int",
      name: "precision",
      min: HLL_MIN_P,
      max: HLL_MAX_P,
      doc: "p: 2^p registers per group (standard error ≈ 1.04/√(2^p))",
    },
    {
      kind: "int",
      name: "groups",
      min: 1,
      max: HLL_MAX_GROUPS,
      pow2: true,
      doc: "independent counters (a power of two); a group argument is masked with groups - 1",
    },
    PER_CPU,
  ],
  forms: [["precision"]],
  defaults: { groups: 1 },
  checkKey: (key) =>
    sizeOf(key) >= 1 && sizeOf(key) <= HLL_KEY_MAX ? undefined : `a type of 1..${HLL_KEY_MAX} bytes`,
  derive: (g) => ({
    precision: Number(g.precision),
    groups: Number(g.groups ?? 1),
    per_cpu: g.per_cpu === true,
  }),
  memoryBytes: (p) => Number(p.groups) * hllGroupBytes(Number(p.precision)),
  valueBytes: (p) => hllGroupBytes(Number(p.precision)),
  ops: {
    add: {
      params: [
        { name: "key", ty: K },
        { name: "group", ty: ty(U32), default: 0n },
      ],
      result: ty(VOID),
      mutates: true,
      datapath: true,
      doc: "count the key in group `group & (groups - 1)` (default 0)",
    },
    estimate: {
      params: [{ name: "group", ty: ty(U32), default: 0n }],
      result: ty(U32),
      mutates: false,
      datapath: true,
      doc: "the group's distinct-key estimate (HyperLogLog with linear counting below 5m/2), O(1)",
    },
  },
  doc: "HyperLogLog: distinct-key counts per group in 2^p bytes each",
};
