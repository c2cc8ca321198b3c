// Block lowerings for the kmod runtime (runtime-kmod kfuncs), keyed by the lang/blocks registry
// name like ../index.ts. A kind listed here CAN be lowered through kfuncs; whether it IS, per
// operation, is compiler/backend/choice.ts's decision. Adding a kind: its lowering, one line here,
// one rule in compiler/backend/choice.ts.
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

export const KMOD_LOWERINGS: Readonly<Record<string, BlockLowering>> = {
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
};

/** The ABI version (`enum nfc_rt_abi` in runtime-kmod/include/nfc_runtime.h) these lowerings use. */
export const KMOD_ABI_VERSION = 3;
