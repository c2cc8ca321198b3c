// count_min<K>(rows, width) on the pure backend (stdlib/include/nf/sketch.h): an ARRAY (shared) or
// PERCPU_ARRAY (per_cpu) map of NF_CMS_ENTRIES(rows, width) entries of
// struct { __u32 c[NF_CMS_CHUNK(width)]; } (chunk = min(width, 8192)), family "sketch".
//   s.add(k, n)    → h = nf_hash64(&k, sizeof k, seed); nf_cms_add(&s, R, W, NF_CMS_CHUNK(W), h, n, atomic)
//   s.estimate(k)  → nf_cms_estimate(&s, R, W, NF_CMS_CHUNK(W), h)   (the minimum over the rows)
// Shared maps add atomically; per_cpu maps with plain stores (the control plane merges shards).
import { bool, call, evalStmt, int, mapref } from "../ir/build.js";
import { C_U32 } from "../ir/ctype.js";
import { bug } from "../lower/context.js";
import { addArrayMap, num, perCpu, type BlockLowering } from "./common.js";
import { cellStruct, cmsGeometry, geometryMacro, hashKey, seedHexOf } from "./sketch-cells.js";

export const countMinLowering: BlockLowering = {
  declare(cx, st) {
    const rows = num(st, "rows");
    const width = num(st, "width");
    const g = cmsGeometry(rows, width);
    cx.cty(st.key);
    const cells = cellStruct(
      cx,
      st,
      { elem: "__u32", member: "c", type: "u32" },
      g.chunk,
      `NF_CMS_CHUNK(${width})`,
    );
    addArrayMap(
      cx,
      st,
      cells,
      { rows, width, chunk: g.chunk, seed: seedHexOf(st.name), cell: "u32", per_cpu: perCpu(st) },
      {
        family: "sketch",
        entries: g.entries,
        entriesC: `NF_CMS_ENTRIES(${rows}, ${width})`,
      },
    );
  },
  op(cx, st, e, args, out) {
    const span = e.span;
    const { h } = hashKey(cx, st, e, args, out);
    const rows = num(st, "rows");
    const width = num(st, "width");
    const geo = [
      mapref(cx.mapSym(st.name), span),
      int(rows, C_U32, span),
      int(width, C_U32, span),
      geometryMacro("NF_CMS_CHUNK", [width], span),
      h,
    ];
    switch (e.op) {
      case "add":
        out.push(
          evalStmt(
            call("nf_cms_add", [...geo, args[1]!, bool(!perCpu(st), span)], { kind: "void" }, span),
            span,
          ),
        );
        return int(0, { kind: "void" }, span);
      case "estimate":
        return call("nf_cms_estimate", geo, C_U32, span);
      default:
        return bug(`unknown operation \`count_min.${e.op}\``, span);
    }
  },
};
