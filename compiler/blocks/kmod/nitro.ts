// nitro<K>(rows, width, one_in) for the kmod object: the count_sketch kmod cells (ONE entry of
// rows*width __s32, ./count-sketch.ts) and the pure backend's per-CPU sampler `NAME_samp`.
//   s.add(k, n)     → h = nf_hash64(&k, sizeof k, seed);
//                     nf_nitro_add_flat(&s, &s_samp, R, W, h, n, ONE_IN, B, atomic)
//                     (the single value is looked up only when a row is sampled)
//   s.estimate(k)   → the fused nfc_rt_cs_estimate (median of R rows in one call), clamped at 0
// The sampled update stays in BPF on purpose: only ~R/one_in rows per packet are touched, and
// the gap stream must be the deterministic one (stdlib nf/nitro.h): runtime-kmod's
// nfc_rt_geo_next/nfc_rt_geo_sample draw from get_random_u32(), which no reference can follow,
// and nfc_rt_geo_skip_of(r_j, p) equals the stdlib's table entry divided by B (a call of ~56
// squaring rounds instead of one load and one division). docs/blocks/nitro.md.
import { nitroB } from "../../../lang/interp/kinds/nitro.js";
import { bool, call, evalStmt, int, mapref } from "../../ir/build.js";
import { C_U32, C_U64 } from "../../ir/ctype.js";
import { bug } from "../../lower/context.js";
import { num, perCpu, type BlockLowering } from "../common.js";
import { hashKey } from "../sketch-cells.js";
import { declareSampler, sampSym } from "../nitro.js";
import { csEstimateExpr, declareSingleCells, kmodCsPrologue } from "./count-sketch.js";

export const kmodNitroLowering: BlockLowering = {
  declare(cx, st) {
    declareSingleCells(cx, st, { one_in: num(st, "one_in") });
    declareSampler(cx, st);
  },
  op(cx, st, e, args, out) {
    const span = e.span;
    switch (e.op) {
      case "add": {
        const u32 = (n: number) => int(n, C_U32, span);
        const { h } = hashKey(cx, st, e, args, out);
        const oneIn = num(st, "one_in");
        const a = [
          mapref(cx.mapSym(st.name), span),
          mapref(sampSym(cx, st.name), span),
          u32(num(st, "rows")),
          u32(num(st, "width")),
          h,
          args[1]!,
        ];
        const tail = [u32(oneIn), int(nitroB(oneIn), C_U64, span), bool(!perCpu(st), span)];
        out.push(evalStmt(call("nf_nitro_add_flat", [...a, ...tail], { kind: "void" }, span), span));
        return int(0, { kind: "void" }, span);
      }
      case "estimate":
        return csEstimateExpr(cx, st, kmodCsPrologue(cx, st, e, args, out), out, span);
      default:
        return bug(`no kmod lowering for \`nitro.${e.op}\``, span);
    }
  },
};
