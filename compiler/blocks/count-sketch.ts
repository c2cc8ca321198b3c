// count_sketch<K>(rows, width) on the pure backend (stdlib/include/nf/count_sketch.h): the
// count-min map shape (nf/sketch.h) with the cells read as __s32 — an ARRAY (shared) or
// PERCPU_ARRAY (per_cpu) map `NAME` of rows*width/chunk entries of struct { __u32 c[chunk]; },
// chunk = min(width, 8192), family "store" (the interpreter's mapBytes = the chunks in order).
//   s.add(k, n)    → h = nf_hash64(&k, sizeof k, seed); nf_cs_add(&s, R, W, CHUNK, h, n, atomic)
//   s.estimate(k)  → nf_cs_estimate(&s, R, W, CHUNK, h)   (median, 0 when negative)
// Shared maps add atomically (nf_atomic_add32), per_cpu maps with plain stores.
import type { StateDecl } from "../../lang/checked.js";
import { structureSeed } from "../../lang/hash.js";
import { U32 } from "../../lang/types.js";
import { bool, call, evalStmt, int, mapref, v } from "../ir/build.js";
import { C_U32, C_U64, cSize, type CType } from "../ir/ctype.js";
import type { IExpr, IStmt, Layout } from "../ir/ir.js";
import { bug, type Lowerer } from "../lower/context.js";
import { addMap, num, perCpu, stackTemp, type BlockLowering, type OpExpr } from "./common.js";
import { cmsGeometry } from "./sketches.js";

export function seedHexOf(name: string): string {
  return `0x${structureSeed(name).toString(16).padStart(16, "0")}`;
}

/** `struct nf_<s>_cells { __u32 c[n]; }` (the cells read as __s32 by the helpers). */
export function signedCells(
  cx: Lowerer,
  st: StateDecl,
  n: number,
  suffix = "cells",
): { c: CType; layout: Layout } {
  const name = cx.stateTag(st.name, suffix);
  cx.structs.set(name, {
    name,
    fields: [{ name: "c", decl: `__u32 c[${n}]` }],
    packed: false,
    size: n * 4,
    span: st.span,
  });
  return {
    c: { kind: "struct", name, size: n * 4, align: 4 },
    layout: {
      size: n * 4,
      ctype: `struct ${name}`,
      fields: [{ name: "c", offset: 0, size: n * 4, type: `s32[${n}]`, order: "host" }],
    },
  };
}

/** The chunked cell map of a count_sketch or nitro (pure layout). */
export function declareChunkedCells(
  cx: Lowerer,
  st: StateDecl,
  extra: Record<string, number | boolean | string>,
): void {
  const pc = perCpu(st);
  const rows = num(st, "rows");
  const width = num(st, "width");
  const g = cmsGeometry(rows, width);
  cx.cty(st.key);
  const cells = signedCells(cx, st, g.chunk);
  addMap(cx, st.name, st, {
    kind: st.kind,
    family: "store",
    mapType: pc ? "BPF_MAP_TYPE_PERCPU_ARRAY" : "BPF_MAP_TYPE_ARRAY",
    key: C_U32,
    keyTy: U32,
    value: cells.c,
    valueTy: U32,
    valueLayout: cells.layout,
    maxEntries: g.entries,
    perCpu: pc,
    params: {
      structure: st.name,
      rows,
      width,
      chunk: g.chunk,
      seed: seedHexOf(st.name),
      cell: "s32",
      per_cpu: pc,
      ...extra,
    },
  });
}

/** Puts the key argument in a stack temporary and hashes it: `__u64 hash = nf_hash64(...)`. */
export function hashKey(
  cx: Lowerer,
  st: StateDecl,
  e: OpExpr,
  args: readonly IExpr[],
  out: IStmt[],
): { key: IExpr; ksz: number; h: IExpr } {
  const span = e.span;
  const key = stackTemp(cx, cx.cty(st.key), args[0]!, out, "key");
  const ksz = cSize(key.ty.kind === "ptr" ? key.ty.to : bug("key is not a pointer", span));
  const hashName = cx.tmp("hash");
  out.push({
    kind: "decl",
    name: hashName,
    ty: C_U64,
    init: call(
      "nf_hash64",
      [key, int(ksz, C_U32, span), int(structureSeed(st.name), C_U64, span)],
      C_U64,
      span,
    ),
    span,
  });
  return { key, ksz, h: v(hashName, C_U64, span) };
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
      u32(cmsGeometry(rows, width).chunk),
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
