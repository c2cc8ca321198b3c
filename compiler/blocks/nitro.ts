// nitro<K>(rows, width, one_in) on the pure backend (stdlib/include/nf/nitro.h): the count_sketch
// cells (./count-sketch.ts: map `NAME`, chunked ARRAY / PERCPU_ARRAY, family "store") plus the
// sampler `NAME_samp`, a one-entry PERCPU_ARRAY of struct nf_nitro_samp { countdown, cursor }
// (family "store", always per CPU). The gap stream is the stdlib's constant table
// nf_nitro_log_u divided by B = -log2(1 - p) in Q56, computed here (lang/interp/kinds/nitro.ts).
//   s.add(k, n)    → h = nf_hash64(...); nf_nitro_add(&s, &s_samp, R, W, CHUNK, h, n, ONE_IN, B, atomic)
//   s.estimate(k)  → nf_cs_estimate(&s, R, W, CHUNK, h)
import type { StateDecl } from "../../lang/checked.js";
import { nitroB, NITRO_POOL } from "../../lang/interp/kinds/nitro.js";
import { U32 } from "../../lang/types.js";
import { bool, call, evalStmt, int, mapref } from "../ir/build.js";
import { C_U32, C_U64 } from "../ir/ctype.js";
import { bug, type Lowerer } from "../lower/context.js";
import { addMap, num, perCpu, type BlockLowering } from "./common.js";
import { declareChunkedCells } from "./count-sketch.js";
import { geometryMacro, hashKey } from "./sketch-cells.js";

/** The C symbol of the sampler map (`nf_<state>_samp`). */
export function sampSym(cx: Lowerer, state: string): string {
  return cx.genMapSym(`${state}:samp`, `${state}_samp`);
}

/** The per-CPU sampler map `NAME_samp` (shared by both backends). */
export function declareSampler(cx: Lowerer, st: StateDecl): void {
  const f = (name: string, offset: number) => ({
    name,
    offset,
    size: 4,
    type: "u32",
    order: "host" as const,
  });
  addMap(
    cx,
    `${st.name}_samp`,
    st,
    {
      kind: st.kind,
      family: "store",
      mapType: "BPF_MAP_TYPE_PERCPU_ARRAY",
      key: C_U32,
      keyTy: U32,
      value: { kind: "struct", name: "nf_nitro_samp", size: 8, align: 4 },
      valueTy: U32,
      valueLayout: { size: 8, ctype: "struct nf_nitro_samp", fields: [f("countdown", 0), f("cursor", 4)] },
      maxEntries: 1,
      perCpu: true,
      params: { structure: st.name, role: "sampler", pool: NITRO_POOL, one_in: num(st, "one_in") },
    },
    `${st.name}:samp`,
  );
}

export const nitroLowering: BlockLowering = {
  declare(cx, st) {
    declareChunkedCells(cx, st, { one_in: num(st, "one_in") });
    declareSampler(cx, st);
  },
  op(cx, st, e, args, out) {
    const span = e.span;
    const { h } = hashKey(cx, st, e, args, out);
    const u32 = (n: number) => int(n, C_U32, span);
    const rows = num(st, "rows");
    const width = num(st, "width");
    const chunk = geometryMacro("NF_CMS_CHUNK", [width], span);
    const cells = mapref(cx.mapSym(st.name), span);
    switch (e.op) {
      case "add": {
        const oneIn = num(st, "one_in");
        const a = [cells, mapref(sampSym(cx, st.name), span), u32(rows), u32(width), chunk, h, args[1]!];
        const tail = [u32(oneIn), int(nitroB(oneIn), C_U64, span), bool(!perCpu(st), span)];
        out.push(evalStmt(call("nf_nitro_add", [...a, ...tail], { kind: "void" }, span), span));
        return int(0, { kind: "void" }, span);
      }
      case "estimate":
        return call("nf_cs_estimate", [cells, u32(rows), u32(width), chunk, h], C_U32, span);
      default:
        return bug(`unknown operation \`nitro.${e.op}\``, span);
    }
  },
};
