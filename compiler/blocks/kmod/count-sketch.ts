// count_sketch<K>(rows, width) through runtime-kmod's fused kfuncs (nfc_runtime.h, ABI 2): ONE
// entry (ARRAY, or PERCPU_ARRAY with per_cpu) of struct { __u32 c[rows*width]; } (read as
// __s32), family "store": the same cells, in the same order, as the pure backend's chunks.
//   s.add(k, n)     → if (cells) nfc_rt_cs_update(&sk, cells, SZ, &k, sizeof k)       (sk.n = n)
//   s.estimate(k)   → est = cells ? nfc_rt_cs_estimate(&sk, cells, SZ, &k, sizeof k) : 0;
//                     (est >> 63) ? 0 : (__u32)est      (a negative median, or the EINVAL code, is 0)
// The kfuncs hash the key (= nf_hash64, seed structureSeed), pick sign_i = bit i of fmix64(h) and
// take the median exactly as lang/interp/kinds/count-sketch.ts. Shared maps set NFC_RT_SK_ATOMIC.
import type { StateDecl } from "../../../lang/checked.js";
import { structureSeed } from "../../../lang/hash.js";
import {
  assign,
  bin,
  call,
  cast,
  cmp,
  cond,
  decl,
  evalStmt,
  ifStmt,
  int,
  mapref,
  member,
  v,
} from "../../ir/build.js";
import { C_U32, C_U64, cSize, ptrTo } from "../../ir/ctype.js";
import type { IExpr, IStmt } from "../../ir/ir.js";
import { bug, type Lowerer } from "../../lower/context.js";
import { addArrayMap, num, perCpu, stackTemp, type BlockLowering, type OpExpr } from "../common.js";
import { signedCells } from "../count-sketch.js";
import { seedHexOf } from "../sketch-cells.js";
import { C_NFC_RT_SKETCH } from "./sketches.js";

/** Bytes of the single value: rows * width __s32 cells. */
export function csValueBytes(st: StateDecl): number {
  return 4 * num(st, "rows") * num(st, "width");
}

export function declareSingleCells(
  cx: Lowerer,
  st: StateDecl,
  extra: Record<string, number | boolean | string>,
): void {
  const pc = perCpu(st);
  const n = num(st, "rows") * num(st, "width");
  cx.cty(st.key);
  const cells = signedCells(cx, st, n, `${num(st, "rows")} * ${num(st, "width")}`, "kcells");
  addArrayMap(cx, st, cells, {
    structure: st.name,
    rows: num(st, "rows"),
    width: num(st, "width"),
    cells: n,
    seed: seedHexOf(st.name),
    cell: "s32",
    per_cpu: pc,
    layout: "kmod_single_entry",
    ...extra,
  });
}

export interface KmodCs {
  args: readonly IExpr[];
  key: IExpr;
  ksz: number;
  /** `struct nfc_rt_sketch sk` with seed, rows, width (and flags) set */
  sk: IExpr;
  /** `__u32 *cells` = the single map value (NULL-checked by callers) */
  cells: IExpr;
  present: IExpr;
}

/** Fills the shape and looks up the single value (the key in a stack temporary). */
export function kmodCsPrologue(
  cx: Lowerer,
  st: StateDecl,
  e: OpExpr,
  args: readonly IExpr[],
  out: IStmt[],
): KmodCs {
  const span = e.span;
  const u32 = (n: number) => int(n, C_U32, span);
  const key = stackTemp(cx, cx.cty(st.key), args[0]!, out, "key");
  const ksz = key.ty.kind === "ptr" ? cSize(key.ty.to) : bug("key is not a pointer", span);
  const skName = cx.tmp("sk");
  const sk = v(skName, C_NFC_RT_SKETCH, span);
  out.push(decl(skName, C_NFC_RT_SKETCH, span, undefined, true));
  out.push(assign(member(sk, "seed", C_U64, span), int(structureSeed(st.name), C_U64, span), span));
  out.push(assign(member(sk, "rows", C_U32, span), u32(num(st, "rows")), span));
  out.push(assign(member(sk, "width", C_U32, span), u32(num(st, "width")), span));
  if (!perCpu(st))
    out.push(assign(member(sk, "flags", C_U32, span), v("NFC_RT_SK_ATOMIC", C_U32, span), span));
  const idx = stackTemp(cx, C_U32, u32(0), out, "idx");
  const cellsName = cx.tmp("cells");
  out.push(
    decl(
      cellsName,
      ptrTo(C_U32),
      span,
      call("bpf_map_lookup_elem", [mapref(cx.mapSym(st.name), span), idx], ptrTo(C_U32), span),
    ),
  );
  const cells = v(cellsName, ptrTo(C_U32), span);
  const present = cmp("!=", cells, { kind: "var", name: "NULL", ty: ptrTo(C_U32), span }, span);
  return { args, key, ksz, sk, cells, present };
}

/** `nfc_rt_cs_<fn>(&sk, cells, SZ, &k, sizeof k)` */
export function csKfunc(st: StateDecl, p: KmodCs, fn: string, span: IExpr["span"]): IExpr {
  const u32 = (n: number) => int(n, C_U32, span);
  return call(
    fn,
    [
      { kind: "addr", of: p.sk, ty: ptrTo(C_NFC_RT_SKETCH), span },
      p.cells,
      u32(csValueBytes(st)),
      p.key,
      u32(p.ksz),
    ],
    C_U64,
    span,
  );
}

/** The clamped estimate: `est = cells ? nfc_rt_cs_estimate(...) : 0; (est >> 63) ? 0 : (__u32)est`. */
export function csEstimateExpr(
  cx: Lowerer,
  st: StateDecl,
  p: KmodCs,
  out: IStmt[],
  span: IExpr["span"],
): IExpr {
  const estName = cx.tmp("est");
  out.push(
    decl(
      estName,
      C_U64,
      span,
      cond(p.present, csKfunc(st, p, "nfc_rt_cs_estimate", span), int(0, C_U64, span), C_U64, span),
    ),
  );
  const est = v(estName, C_U64, span);
  const negative = cmp("!=", bin(">>", est, int(63, C_U64, span), C_U64, span), int(0, C_U64, span), span);
  return cond(negative, int(0, C_U32, span), cast(est, C_U32, span), C_U32, span);
}

export const kmodCountSketchLowering: BlockLowering = {
  declare: (cx, st) => declareSingleCells(cx, st, {}),
  op(cx, st, e, args, out) {
    const span = e.span;
    const p = kmodCsPrologue(cx, st, e, args, out);
    switch (e.op) {
      case "add":
        out.push(assign(member(p.sk, "n", C_U32, span), p.args[1]!, span));
        out.push(ifStmt(p.present, [evalStmt(csKfunc(st, p, "nfc_rt_cs_update", span), span)], [], span));
        return int(0, { kind: "void" }, span);
      case "estimate":
        return csEstimateExpr(cx, st, p, out, span);
      default:
        return bug(`no kmod lowering for \`count_sketch.${e.op}\``, span);
    }
  },
};

/** Single-value limits (runtime-kmod/CONTEXT.md): PERCPU_ARRAY 32 KiB, ARRAY 4 MiB. */
function csUnfit(st: StateDecl): string | undefined {
  const bytes = csValueBytes(st);
  const max = perCpu(st) ? 32 * 1024 : 4 * 1024 * 1024;
  return bytes > max
    ? `${bytes} bytes of cells exceed the single ${perCpu(st) ? "PERCPU_ARRAY" : "ARRAY"} value limit (${max})`
    : undefined;
}

/** compiler/backend/choice.ts KMOD_RULES entries, from guest instruction counts of one add + one
 *  estimate (runtime-kmod/bench/count_sketch.bpf.c and nitro.bpf.c via vm/icount.sh, 6.1 and
 *  6.12, width 512): kmod − pure = +150 (3 rows), +96 (5), −60 (8), −338 (12), −769 (16). The pure
 *  median network grows with rows(rows−1)/2; the two kfunc calls cost ~2 × 100 fixed. */
export const countSketchKmodRule = {
  param: "rows",
  threshold: 8,
  pays: (r: number, op: string) =>
    `${r} rows: fused ${op === "add" ? "signed update" : "median"} in one kfunc; add+estimate measured −60 guest instructions at 8 rows, −338 at 12, −769 at 16 (runtime-kmod/bench/count_sketch.bpf.c)`,
  doesNotPay: (r: number) =>
    `${r} row(s): two kfunc calls cost more than the pure median network below 8 rows (+150 guest instructions at 3 rows, +96 at 5)`,
  unfit: csUnfit,
};

/** nitro: the sampled add costs the same on both layouts (nitro5_add: 112 vs 112 instructions);
 *  the estimate is count_sketch's, so the same threshold. */
export const nitroKmodRule = {
  param: "rows",
  threshold: 8,
  pays: (r: number, op: string) =>
    op === "add"
      ? `sampled update in BPF on the single-entry layout (same cost as pure: 112 vs 112 guest instructions at 5 rows); shares the structure with the estimate`
      : `${r} rows: fused median in one kfunc (nfc_rt_cs_estimate), measured as count_sketch's from 8 rows`,
  doesNotPay: (r: number) =>
    `${r} row(s): the kfunc median costs more than the pure network below 8 rows (nitro5 add+estimate +135 guest instructions)`,
  unfit: csUnfit,
};
