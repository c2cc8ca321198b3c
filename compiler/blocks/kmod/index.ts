// Block lowerings for the kmod runtime (runtime-kmod kfuncs), keyed by the lang/blocks registry
// name like ../index.ts. A kind listed here CAN be lowered through kfuncs; whether it IS, per
// operation, is compiler/backend/choice.ts's decision. Adding a kind: its lowering, one line here,
// one rule in compiler/backend/choice.ts (tsc asks for both, or for a reason in NO_KMOD_LOWERING).
import type { KindName } from "../../../lang/blocks/index.js";
import type { BlockLowering } from "../common.js";
import { kmodSketchLowering } from "./sketches.js";
import { kmodCuckooLowering } from "./cuckoo.js";
import { kmodHllLowering } from "./hll.js";
import { kmodCountSketchLowering } from "./count-sketch.js";
import { kmodNitroLowering } from "./nitro.js";
import { kmodQueueLowering } from "./queues.js";
import { kmodTimerWheelLowering } from "./timer-wheel.js";
import { kmodTopkLowering } from "./topk.js";
import { kmodOrderedLowering } from "./ordered.js";

const LOWERINGS = {
  count_min: kmodSketchLowering,
  bloom: kmodSketchLowering,
  cuckoo: kmodCuckooLowering,
  hll: kmodHllLowering,
  count_sketch: kmodCountSketchLowering,
  nitro: kmodNitroLowering,
  fifo: kmodQueueLowering,
  pq: kmodQueueLowering,
  timer_wheel: kmodTimerWheelLowering,
  topk: kmodTopkLowering,
  ordered: kmodOrderedLowering,
} satisfies Partial<Record<KindName, BlockLowering>>;

/** The kinds with a kmod lowering (each has a rule in compiler/backend/choice.ts KMOD_RULES). */
export type KmodKind = keyof typeof LOWERINGS;

export const KMOD_LOWERINGS: Readonly<Partial<Record<KindName, BlockLowering>>> = LOWERINGS;

export function hasKmodLowering(kind: KindName): kind is KmodKind {
  return kind in LOWERINGS;
}

const NO_KFUNC = "no kfunc pays: a table operation is already one map helper call";

/** Why a kind has no kmod lowering: one reason for every registry kind not in KMOD_LOWERINGS. */
export const NO_KMOD_LOWERING: Readonly<Record<Exclude<KindName, KmodKind>, string>> = {
  array: NO_KFUNC,
  hash: NO_KFUNC,
  lru: NO_KFUNC,
  lpm: NO_KFUNC,
};

/** The ABI version (`enum nfc_rt_abi` in runtime-kmod/include/nfc_runtime.h) these lowerings use. */
export const KMOD_ABI_VERSION = 3;
