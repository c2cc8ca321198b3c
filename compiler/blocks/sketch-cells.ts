// What the hashed sketches share on the pure backend (stdlib/include/nf/sketch.h): chunked cell
// maps over ARRAY / PERCPU_ARRAY (count_min, count_sketch and nitro: u32 cells; bloom: u64 words),
// and the key hashed once per operation, nf_hash64(&k, sizeof(k), seed) with seed =
// structureSeed(name). The C states the geometry with the stdlib's macros over the structure's own
// parameters (NF_CMS_CHUNK(width), NF_BLOOM_ENTRIES(bits), ...); the numbers computed here are the
// same values, for the manifest and the layouts the interpreter compares.
import type { StateDecl } from "../../lang/checked.js";
import { structureSeed } from "../../lang/hash.js";
import type { Span } from "../../lang/span.js";
import { call, int, v } from "../ir/build.js";
import { C_U32, C_U64, cSize, type CType } from "../ir/ctype.js";
import type { IExpr, IStmt, Layout } from "../ir/ir.js";
import { bug, type Lowerer } from "../lower/context.js";
import { stackTemp, type OpExpr } from "./common.js";

export const CMS_MAX_CHUNK = 8192; // NF_CMS_MAX_CHUNK
export const BLOOM_MAX_CHUNK_WORDS = 4096; // NF_BLOOM_MAX_CHUNK_WORDS

/** NF_CMS_CHUNK(width) and NF_CMS_ENTRIES(rows, width). */
export function cmsGeometry(rows: number, width: number): { chunk: number; entries: number } {
  const chunk = Math.min(width, CMS_MAX_CHUNK);
  return { chunk, entries: (rows * width) / chunk };
}

/** NF_BLOOM_CHUNK_WORDS(bits) and NF_BLOOM_ENTRIES(bits). */
export function bloomGeometry(bits: number): { chunkWords: number; entries: number } {
  const chunkWords = Math.max(1, Math.min(Math.floor(bits / 64), BLOOM_MAX_CHUNK_WORDS));
  return { chunkWords, entries: Math.max(1, Math.floor(bits / 64 / chunkWords)) };
}

/** A stdlib geometry macro applied to the structure's parameters, as an IR expression. */
export function geometryMacro(name: string, params: readonly number[], span: Span): IExpr {
  return call(
    name,
    params.map((p) => int(p, C_U32, span)),
    C_U32,
    span,
  );
}

/** `struct nf_<s>_<suffix> { <elem> <member>[<count>]; }`: `count` is the C of `n` (a macro). */
export function cellStruct(
  cx: Lowerer,
  st: StateDecl,
  cell: { elem: "__u32" | "__u64"; member: string; type: "u32" | "s32" | "u64" },
  n: number,
  count: string,
  suffix = "cells",
): { c: CType; layout: Layout } {
  const name = cx.stateTag(st.name, suffix);
  const esize = cell.elem === "__u32" ? 4 : 8;
  const size = n * esize;
  cx.structs.set(name, {
    name,
    fields: [{ name: cell.member, decl: `${cell.elem} ${cell.member}[${count}]` }],
    packed: false,
    size,
    span: st.span,
  });
  return {
    c: { kind: "struct", name, size, align: esize },
    layout: {
      size,
      ctype: `struct ${name}`,
      fields: [{ name: cell.member, offset: 0, size, type: `${cell.type}[${n}]`, order: "host" }],
    },
  };
}

export function seedHexOf(name: string): string {
  return `0x${structureSeed(name).toString(16).padStart(16, "0")}`;
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
