// The per-operation backend choice: pure BPF (compiler/blocks) or runtime-kmod kfuncs
// (compiler/blocks/kmod), with a one-line reason each. The rules are data (KMOD_RULES); numbers
// come from runtime-kmod/CONTEXT.md's guest instruction counts (vm/icount.sh, kmod vs pure per
// call). One structure has one map layout per object, so its operations share one backend: a
// structure is kmod when any of its operations chose kmod.
import type { CheckedProgram, StateDecl } from "../../lang/checked.js";
import type { Span } from "../../lang/span.js";
import { sizeOf } from "../../lang/types.js";
import { hasKmodLowering, NO_KMOD_LOWERING, type KmodKind } from "../blocks/kmod/index.js";
import { kmodValueBytes } from "../blocks/kmod/sketches.js";
import { countSketchKmodRule, nitroKmodRule } from "../blocks/kmod/count-sketch.js";
import { hllKmodRule } from "../blocks/kmod/hll.js";
import { cuckooKmodRule } from "../blocks/kmod/cuckoo.js";
import { fifoKmodRule, pqKmodRule } from "../blocks/kmod/queues.js";
import { timerWheelKmodRule } from "../blocks/kmod/timer-wheel.js";
import { topkKmodRule } from "../blocks/kmod/topk.js";
import { orderedKmodRule } from "../blocks/kmod/ordered.js";
import { num, perCpu } from "../blocks/common.js";

export type Backend = "bpf" | "kmod";
export type RuntimeMode = "bpf" | "kmod" | "auto";

export interface OpChoice {
  span: Span;
  structure: string;
  kind: string;
  op: string;
  backend: Backend;
  reason: string;
}

/** Limits of the single-entry map value a fused kfunc works on (runtime-kmod/CONTEXT.md). */
export const PERCPU_VALUE_MAX = 32 * 1024;
export const ARRAY_VALUE_MAX = 4 * 1024 * 1024;
export const KFUNC_KEY_MAX = 64;

interface KmodRule {
  /** The structure parameter the gain grows with, and the smallest value where kmod pays. */
  param: string;
  threshold: number;
  pays: (v: number, op: string) => string;
  doesNotPay: (v: number) => string;
  /** Why the kfunc cannot take this shape at all (undefined: it can). */
  unfit?: (st: StateDecl) => string | undefined;
}

/** One rule per kind with a kmod lowering (KmodKind); the others have a NO_KMOD_LOWERING reason. */
export const KMOD_RULES: Readonly<Record<KmodKind, KmodRule>> = {
  count_min: {
    param: "rows",
    threshold: 4,
    pays: (r, op) =>
      `fused ${r}-row hash+${op === "add" ? "update" : "min"} in one kfunc: 7 fewer guest instructions per call at 4 rows, 42 at 8 (runtime-kmod/CONTEXT.md icount)`,
    doesNotPay: (r) =>
      `${r} row(s): the kfunc's fixed cost (~100 instructions call + shape check) ≈ the per-row saving below 4 rows`,
    unfit: singleValueUnfit,
  },
  bloom: {
    param: "hashes",
    threshold: 4,
    pays: (k, op) =>
      `fused ${k}-bit hash+${op === "insert" ? "set" : "test"} in one kfunc (same per-row map-lookup saving as count_min; not measured separately)`,
    doesNotPay: (k) => `${k} hash(es): the kfunc's fixed cost ≈ the per-bit saving below 4 hashes`,
    unfit: (st) =>
      num(st, "bits") < 64
        ? `${num(st, "bits")} bits: the bloom kfuncs need ≥ 64 bits`
        : singleValueUnfit(st),
  },
  count_sketch: countSketchKmodRule,
  nitro: nitroKmodRule,
  hll: hllKmodRule,
  cuckoo: cuckooKmodRule,
  fifo: fifoKmodRule,
  pq: pqKmodRule,
  timer_wheel: timerWheelKmodRule,
  topk: topkKmodRule,
  ordered: orderedKmodRule,
};

/** Why `st` cannot use its kmod lowering at all, or undefined. */
function unfit(st: StateDecl): string | undefined {
  if (!hasKmodLowering(st.kind)) return NO_KMOD_LOWERING[st.kind];
  const ks = sizeOf(st.key);
  if (ks < 1 || ks > KFUNC_KEY_MAX) return `key of ${ks} bytes: the kfuncs hash 1..${KFUNC_KEY_MAX}`;
  return KMOD_RULES[st.kind].unfit?.(st);
}

/** The fused sketch kfuncs work on ONE map value holding every cell (compiler/blocks/kmod/sketches.ts). */
function singleValueUnfit(st: StateDecl): string | undefined {
  const bytes = kmodValueBytes(st);
  const max = perCpu(st) ? PERCPU_VALUE_MAX : ARRAY_VALUE_MAX;
  return bytes > max
    ? `${bytes} bytes of cells exceed the single ${perCpu(st) ? "PERCPU_ARRAY" : "ARRAY"} value limit (${max})`
    : undefined;
}

function decide(st: StateDecl, op: string, mode: RuntimeMode): { backend: Backend; reason: string } {
  if (mode === "bpf") return { backend: "bpf", reason: "forced by --runtime bpf" };
  const no = unfit(st);
  if (no) return { backend: "bpf", reason: no };
  if (mode === "kmod") return { backend: "kmod", reason: "forced by --runtime kmod" };
  if (!hasKmodLowering(st.kind)) return { backend: "bpf", reason: NO_KMOD_LOWERING[st.kind] }; // unfit said so
  const rule = KMOD_RULES[st.kind];
  const val = num(st, rule.param);
  return val >= rule.threshold
    ? { backend: "kmod", reason: rule.pays(val, op) }
    : { backend: "bpf", reason: rule.doesNotPay(val) };
}

/** Every `state.op(...)` of the handler, in source order. */
export function operations(prog: CheckedProgram): { state: string; op: string; span: Span }[] {
  const found: { state: string; op: string; span: Span }[] = [];
  const seen = new Set<object>();
  const walk = (x: unknown): void => {
    if (!x || typeof x !== "object" || seen.has(x)) return;
    seen.add(x);
    if (Array.isArray(x)) {
      for (const y of x) walk(y);
      return;
    }
    const o = x as Record<string, unknown>;
    if (o.kind === "op" && typeof o.state === "string" && typeof o.op === "string")
      found.push({ state: o.state, op: o.op, span: o.span as Span });
    for (const k of Object.keys(o)) if (k !== "ty" && k !== "span") walk(o[k]);
  };
  walk(prog.handler);
  return found.sort((a, b) => a.span.start - b.span.start);
}

export interface Choice {
  ops: OpChoice[];
  /** Structures lowered with kmod in the kmod object (empty: no kmod object). */
  kmodStates: ReadonlySet<string>;
}

export function chooseBackends(prog: CheckedProgram, mode: RuntimeMode): Choice {
  const byName = new Map(prog.states.map((s) => [s.name, s]));
  const ops: OpChoice[] = operations(prog).map((o) => {
    const st = byName.get(o.state);
    const d = st ? decide(st, o.op, mode) : { backend: "bpf" as const, reason: "unknown structure" };
    return { span: o.span, structure: o.state, kind: st?.kind ?? "?", op: o.op, ...d };
  });
  const kmodStates = new Set(ops.filter((o) => o.backend === "kmod").map((o) => o.structure));
  for (const o of ops) {
    if (o.backend === "bpf" && kmodStates.has(o.structure)) {
      o.backend = "kmod";
      o.reason = `shares ${o.structure}'s single-entry kmod layout (${o.reason})`;
    }
  }
  return { ops, kmodStates };
}

/** `nfc build --explain`: one line per operation. */
export function explainLines(file: string, c: Choice): string[] {
  return c.ops.map(
    (o) =>
      `${file}:${o.span.line}:${o.span.col}  ${o.structure} (${o.kind})  ${o.op}  → ${o.backend}: ${o.reason}`,
  );
}
