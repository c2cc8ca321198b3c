// Block lowerings for the kmod runtime (runtime-kmod kfuncs), keyed by the lang/blocks registry
// name like ../index.ts. A kind listed here CAN be lowered through kfuncs; whether it IS, per
// operation, is compiler/backend/choice.ts's decision. Adding a kind: its lowering, one line here,
// one rule in compiler/backend/choice.ts.
import type { BlockLowering } from "../common.js";
import { kmodSketchLowering } from "./sketches.js";

export const KMOD_LOWERINGS: Readonly<Record<string, BlockLowering>> = {
  count_min: kmodSketchLowering,
  bloom: kmodSketchLowering,
};

/** The ABI version (`enum nfc_rt_abi` in runtime-kmod/include/nfc_runtime.h) these lowerings use. */
export const KMOD_ABI_VERSION = 3;
