// `sketch NAME: topk<K>(k = N)`: the Space-Saving heavy-hitter summary (Metwally et al. 2005) over
// k slots. `add(key, n)` adds to the key's slot; an untracked key takes the slot with the minimum
// count (lowest slot index on ties; empty slots count 0, so they go first) and starts at min + n.
// Counts saturate at 2^32 - 1. Semantics of record: lang/interp/kinds/topk.ts; docs/blocks/topk.md.
import { sizeOf, U32, type Ty } from "../types.js";
import { K, PER_CPU, ty, type BlockDef } from "./registry.js";

export const TOPK_MIN = 8;
export const TOPK_MAX = 256;
/** Largest key: the key compare is unrolled, so keys stay small (the other structures hash 1..64 bytes). */
export const TOPK_KEY_MAX = 64;

/**
 * The one map value of a topk (pure backend; also the interpreter's `mapBytes`):
 *   struct { lock (4 bytes: bpf_spin_lock when shared, unused when per_cpu); u32 pad;
 *            u32 cnt[k]; [4 bytes pad when k is odd]; K key[k]; }
 * cnt[i] == 0 marks an empty slot. No hash and no fingerprint: a word-wise key compare that
 * stops at the first differing word costs what a fingerprint compare would (bench/ topk).
 */
export function topkLayout(k: number, key: Ty): { cnt: number; key: number; stride: number; size: number } {
  const stride = sizeOf(key);
  const cnt = 8;
  const keyOff = Math.ceil((cnt + 4 * k) / 8) * 8; // 8-aligned: every key type is naturally aligned
  const size = keyOff + stride * k;
  return { cnt, key: keyOff, stride, size: Math.ceil(size / 8) * 8 };
}

export const topkBlock: BlockDef<"topk"> = {
  family: "sketch",
  name: "topk",
  typeParams: ["K"],
  params: [
    { kind: "int", name: "k", min: TOPK_MIN, max: TOPK_MAX, doc: "number of tracked keys (slots)" },
    PER_CPU,
  ],
  forms: [["k"]],
  defaults: {},
  checkKey: (key) =>
    sizeOf(key) >= 1 && sizeOf(key) <= TOPK_KEY_MAX ? undefined : `a type of 1..${TOPK_KEY_MAX} bytes`,
  derive: (g) => ({ k: Number(g.k), per_cpu: g.per_cpu === true }),
  memoryBytes: (p, key) => topkLayout(Number(p.k), key).size,
  oneValue: true,
  ops: {
    add: {
      params: [
        { name: "key", ty: K },
        { name: "n", ty: ty(U32), default: 1n },
      ],
      result: ty(U32),
      mutates: true,
      datapath: true,
      doc: "add n (default 1) to the key's count; an untracked key replaces the minimum slot (count = min + n); returns the key's count after the add (saturating at 2^32-1); n = 0 changes nothing and returns count(key)",
    },
    count: {
      params: [{ name: "key", ty: K }],
      result: ty(U32),
      mutates: false,
      datapath: true,
      doc: "the key's count, 0 when the key is not tracked (an over-estimate by at most the count it inherited)",
    },
  },
  doc: "Space-Saving top-k: the k heaviest keys by added weight, with bounded over-estimation",
};
