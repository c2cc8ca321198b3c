// Sketches over chunked ARRAY / PERCPU_ARRAY maps (nf/sketch.h). The key is copied to a zeroed
// stack temporary and hashed once with nf_hash64(&k, sizeof(k), seed), seed = structureSeed(name);
// row / bit i uses double hashing (nf_dh_index inside the stdlib helpers).
//   count_min<K>(rows, width): entries rows*width/chunk of struct { __u32 c[chunk]; },
//                              chunk = min(width, 8192)
//   bloom<K>(bits, hashes):    entries max(1, bits/64/chunk) of struct { __u64 w[chunk]; },
//                              chunk = max(1, min(bits/64, 4096))
// Shared maps update atomically; per_cpu maps with plain stores (the control plane merges shards).
import type { StateDecl } from "../../lang/checked.js";
import { U32 } from "../../lang/types.js";
import { bool, call, evalStmt, int, mapref } from "../ir/build.js";
import { C_BOOL, C_U32, C_U64, cSize, type CType } from "../ir/ctype.js";
import type { IExpr, Layout } from "../ir/ir.js";
import { bug, type Lowerer } from "../lower/context.js";
import { addMap, num, perCpu, stackTemp, type BlockLowering } from "./common.js";
import { structureSeed } from "../../lang/hash.js";

export const CMS_MAX_CHUNK = 8192;
export const BLOOM_MAX_CHUNK_WORDS = 4096;

export function cmsGeometry(rows: number, width: number): { chunk: number; entries: number } {
  const chunk = Math.min(width, CMS_MAX_CHUNK);
  return { chunk, entries: (rows * width) / chunk };
}

export function bloomGeometry(bits: number): { chunkWords: number; entries: number } {
  const chunkWords = Math.max(1, Math.min(Math.floor(bits / 64), BLOOM_MAX_CHUNK_WORDS));
  return { chunkWords, entries: Math.max(1, Math.floor(bits / 64 / chunkWords)) };
}

function cellStruct(
  cx: Lowerer,
  st: StateDecl,
  elem: "__u32" | "__u64",
  member: string,
  n: number,
): { c: CType; layout: Layout } {
  const name = cx.stateTag(st.name, "cells");
  const esize = elem === "__u32" ? 4 : 8;
  cx.structs.set(name, {
    name,
    fields: [{ name: member, decl: `${elem} ${member}[${n}]` }],
    packed: false,
    size: n * esize,
    span: st.span,
  });
  const c: CType = { kind: "struct", name, size: n * esize, align: esize };
  const field = {
    name: member,
    offset: 0,
    size: n * esize,
    type: `u${esize * 8}[${n}]`,
    order: "host" as const,
  };
  return { c, layout: { size: n * esize, ctype: `struct ${name}`, fields: [field] } };
}

function declareSketch(cx: Lowerer, st: StateDecl): void {
  const pc = perCpu(st);
  const seed = structureSeed(st.name);
  const mapType = pc ? "BPF_MAP_TYPE_PERCPU_ARRAY" : "BPF_MAP_TYPE_ARRAY";
  cx.cty(st.key);
  if (st.kind === "count_min") {
    const rows = num(st, "rows");
    const width = num(st, "width");
    const g = cmsGeometry(rows, width);
    const cells = cellStruct(cx, st, "__u32", "c", g.chunk);
    addMap(cx, st.name, st, {
      kind: st.kind,
      family: "sketch",
      mapType,
      key: C_U32,
      keyTy: U32,
      value: cells.c,
      valueTy: U32,
      valueLayout: cells.layout,
      maxEntries: g.entries,
      perCpu: pc,
      params: {
        rows,
        width,
        chunk: g.chunk,
        seed: `0x${seed.toString(16).padStart(16, "0")}`,
        cell: "u32",
        per_cpu: pc,
      },
    });
  } else if (st.kind === "bloom") {
    const bits = num(st, "bits");
    const hashes = num(st, "hashes");
    const g = bloomGeometry(bits);
    const cells = cellStruct(cx, st, "__u64", "w", g.chunkWords);
    addMap(cx, st.name, st, {
      kind: st.kind,
      family: "sketch",
      mapType,
      key: C_U32,
      keyTy: U32,
      value: cells.c,
      valueTy: U32,
      valueLayout: cells.layout,
      maxEntries: g.entries,
      perCpu: pc,
      params: {
        bits,
        hashes,
        chunk_words: g.chunkWords,
        seed: `0x${seed.toString(16).padStart(16, "0")}`,
        per_cpu: pc,
      },
    });
  } else {
    bug(`unknown sketch kind \`${st.kind}\``, st.span);
  }
}

export const sketchLowering: BlockLowering = {
  declare: declareSketch,
  op(cx, st, e, args, out) {
    const span = e.span;
    const k = stackTemp(cx, cx.cty(st.key), args[0]!, out, "key");
    const kty = k.ty.kind === "ptr" ? k.ty.to : bug("key is not a pointer", span);
    const seed = structureSeed(st.name);
    const hashName = cx.tmp("hash");
    out.push({
      kind: "decl",
      name: hashName,
      ty: C_U64,
      init: call("nf_hash64", [k, int(cSize(kty), C_U32, span), int(seed, C_U64, span)], C_U64, span),
      span,
    });
    const h: IExpr = { kind: "var", name: hashName, ty: C_U64, span };
    const m = mapref(cx.mapSym(st.name), span);
    const u32 = (n: number) => int(n, C_U32, span);
    const atomic = bool(!perCpu(st), span);
    if (st.kind === "count_min") {
      const rows = num(st, "rows");
      const width = num(st, "width");
      const { chunk } = cmsGeometry(rows, width);
      const geo = [m, u32(rows), u32(width), u32(chunk), h];
      if (e.op === "add") {
        out.push(evalStmt(call("nf_cms_add", [...geo, args[1]!, atomic], { kind: "void" }, span), span));
        return int(0, { kind: "void" }, span);
      }
      if (e.op === "estimate") return call("nf_cms_estimate", geo, C_U32, span);
    } else if (st.kind === "bloom") {
      const bits = num(st, "bits");
      const geo = [m, u32(num(st, "hashes")), u32(bits), u32(bloomGeometry(bits).chunkWords), h];
      if (e.op === "insert") {
        out.push(evalStmt(call("nf_bloom_insert", [...geo, atomic], { kind: "void" }, span), span));
        return int(0, { kind: "void" }, span);
      }
      if (e.op === "contains") return call("nf_bloom_contains", geo, C_BOOL, span);
    }
    return bug(`unknown operation \`${st.kind}.${e.op}\``, span);
  },
};
