// Block lowerings for the bpf runtime, keyed by the lang/blocks registry name. Adding a kind: write
// its BlockLowering (or reuse a family's) and add one line here (tsc refuses a kind without one).
import type { KindName } from "../../lang/blocks/index.js";
import type { StateDecl } from "../../lang/checked.js";
import type { IExpr, IStmt } from "../ir/ir.js";
import { bug, type Lowerer } from "../lower/context.js";
import type { BlockLowering, OpExpr } from "./common.js";
import { countMinLowering } from "./count-min.js";
import { bloomLowering } from "./bloom.js";
import { tableLowering } from "./tables.js";
import { cuckooLowering } from "./cuckoo.js";
import { topkLowering } from "./topk.js";
import { hllLowering } from "./hll.js";
import { timerWheelLowering } from "./timer-wheel.js";
import { queueLowering } from "./queues.js";
import { countSketchLowering } from "./count-sketch.js";
import { nitroLowering } from "./nitro.js";
import { orderedLowering } from "./ordered.js";
import { KMOD_LOWERINGS } from "./kmod/index.js";

export const BLOCK_LOWERINGS: Readonly<Record<KindName, BlockLowering>> = {
  array: tableLowering,
  hash: tableLowering,
  lru: tableLowering,
  lpm: tableLowering,
  count_min: countMinLowering,
  ordered: orderedLowering,
  bloom: bloomLowering,
  cuckoo: cuckooLowering,
  count_sketch: countSketchLowering,
  nitro: nitroLowering,
  topk: topkLowering,
  hll: hllLowering,
  timer_wheel: timerWheelLowering,
  fifo: queueLowering,
  pq: queueLowering,
};

/** The kmod lowering for structures the backend chose for kmod (cx.kmodStates), else the bpf one. */
function loweringFor(cx: Lowerer, st: StateDecl): BlockLowering {
  if (!cx.kmodStates.has(st.name)) return BLOCK_LOWERINGS[st.kind];
  return (
    KMOD_LOWERINGS[st.kind] ??
    bug(`\`${st.name}\` chose kmod, but \`${st.kind}\` has no kmod lowering`, st.span)
  );
}

/** Declares every structure's maps. */
export function declareStates(cx: Lowerer): void {
  for (const st of cx.prog.states) loweringFor(cx, st).declare(cx, st);
}

export function stateOf(cx: Lowerer, name: string): StateDecl {
  return cx.prog.states.find((s) => s.name === name) ?? bug(`unknown structure \`${name}\``);
}

/** `state.op(args)` with its arguments lowered by the caller (compiler/lower/expressions.ts). */
export function lowerOp(cx: Lowerer, e: OpExpr, args: readonly IExpr[], out: IStmt[]): IExpr {
  const st = stateOf(cx, e.state);
  return loweringFor(cx, st).op(cx, st, e, args, out);
}
