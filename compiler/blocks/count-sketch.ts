// count_sketch<K>(rows, width) on the pure backend (stdlib/include/nf/count_sketch.h): the
// count-min map shape (nf/sketch.h) with the cells read as __s32 — an ARRAY (shared) or
// PERCPU_ARRAY (per_cpu) map `NAME` of rows*width/chunk entries of struct { __u32 c[chunk]; },
// chunk = min(width, 8192) = NF_CMS_CHUNK(width), family "store" (the interpreter's mapBytes = the
// chunks in order).
//   s.add(k, n)    → h = nf_hash64(&k, sizeof k, seed); nf_cs_add(&s, R, W, NF_CMS_CHUNK(W), h, n, atomic)
//   s.estimate(k)  → nf_cs_estimate(&s, R, W, NF_CMS_CHUNK(W), h)   (median, 0 when negative)
// Shared maps add atomically (nf_atomic_add32), per_cpu maps with plain stores.
import type { StateDecl } from "../../lang/checked.js";
import { bool, call, evalStmt, int, mapref } from "../ir/build.js";
import { C_U32, type CType } from "../ir/ctype.js";
import type { Layout } from "../ir/ir.js";
import { bug, type Lowerer } from "../lower/context.js";
import { addArrayMap, num, perCpu, type BlockLowering } from "./common.js";
import { cellStruct, cmsGeometry, geometryMacro, hashKey, seedHexOf } from "./sketch-cells.js";

/** `struct nf_<s>_<suffix> { __u32 c[<count>]; }` (the cells read as __s32 by the helpers). */
export function signedCells(
  cx: Lowerer,
  st: StateDecl,
  n: number,
  count: string,
  suffix = "cells",
): { c: CType; layout: Layout } {
  return cellStruct(cx, st, { elem: "__u32", member: "c", type: "s32" }, n, count, suffix);
}

/** The chunked cell map of a count_sketch or nitro (pure layout). */
export function declareChunkedCells(
  cx: Lowerer,
  st: StateDecl,
  extra: Record<string, number | boolean | string>,
): void {
  const rows = num(st, "rows");
  const width = num(st, "width");
  const g = cmsGeometry(rows, width);
  cx.cty(st.key);
  const cells = signedCells(cx, st, g.chunk, `NF_CMS_CHUNK(${width})`);
  addArrayMap(
    cx,
    st,
    cells,
    {
      structure: st.name,
      rows,
      width,
      chunk: g.chunk,
      seed: seedHexOf(st.name),
      cell: "s32",
      per_cpu: perCpu(st),
      ...extra,
    },
    { entries: g.entries, entriesC: `NF_CMS_ENTRIES(${rows}, ${width})` },
  );
}

export const countSketchLowering: BlockLowering = {
  declare: (cx, st) => declareChunkedCells(cx, st, {}),
  op(cx, st, e, args, out) {
    const span = e.span;
    const { h } = hashKey(cx, st, e, args, out);
    const u32 = (n: number) => int(n, C_U32, span);
    const rows = num(st, "rows");
    const width = num(st, "width");
    const geo = [
      mapref(cx.mapSym(st.name), span),
      u32(rows),
      u32(width),
      geometryMacro("NF_CMS_CHUNK", [width], span),
      h,
    ];
    switch (e.op) {
      case "add":
        out.push(
          evalStmt(
            call("nf_cs_add", [...geo, args[1]!, bool(!perCpu(st), span)], { kind: "void" }, span),
            span,
          ),
        );
        return int(0, { kind: "void" }, span);
      case "estimate":
        return call("nf_cs_estimate", geo, C_U32, span);
      default:
        return bug(`unknown operation \`count_sketch.${e.op}\``, span);
    }
  },
};
