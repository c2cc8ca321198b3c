// What every block lowering shares: the entry shape (one per registry kind), map declarations,
// and key/value temporaries. Keys and values handed to map helpers live in zero-initialised stack
// temporaries, so struct padding is zero (the verifier requires initialised stack, and keys are
// compared and hashed as raw bytes).
import type { StateDecl, TExpr } from "../../lang/checked.js";
import { tyName, U32, type Ty } from "../../lang/types.js";
import { addr, assign, decl, v } from "../ir/build.js";
import { C_U32, cName, cTypeEq, type CType } from "../ir/ctype.js";
import type { IExpr, IrMap, IStmt, Layout } from "../ir/ir.js";
import type { Lowerer } from "../lower/context.js";
import { kernelName } from "../names/kernel.js";
import { layoutOf } from "../lower/types.js";

export type OpExpr = Extract<TExpr, { kind: "op" }>;

/** Per-kind lowering for the bpf runtime; the key is the lang/blocks registry name. */
export interface BlockLowering {
  /** Adds the structure's maps (and any structs) to the program. */
  declare(cx: Lowerer, st: StateDecl): void;
  /** Lowers `st.op(args)` given its arguments already lowered (in source order, by
   *  compiler/lower); statements that must run first go to `out`. */
  op(cx: Lowerer, st: StateDecl, e: OpExpr, args: readonly IExpr[], out: IStmt[]): IExpr;
}

export interface MapSpec {
  kind: string;
  family: IrMap["family"];
  mapType: string;
  key: CType;
  keyTy: Ty;
  value: CType;
  valueTy: Ty;
  /** Overrides the layout derived from valueTy (sketch cell chunks). */
  valueLayout?: Layout;
  maxEntries: number;
  /** The C of max_entries where a stdlib macro states it (NF_CMS_ENTRIES(rows, width)). */
  maxEntriesC?: string;
  flags?: string[];
  perCpu: boolean;
  params: IrMap["params"];
}

/** Adds map `name`: a state's own map, or (`gen`) one nfc adds, with the allocator key of its
 *  `nf_...` C symbol (Lowerer.genMapSym). */
export function addMap(
  cx: Lowerer,
  name: string,
  st: { span: IrMap["span"]; family?: StateDecl["family"]; key?: StateDecl["key"] },
  s: MapSpec,
  gen?: string,
): IrMap {
  const element = st.family === "sketch" || st.family === "queue" ? st.key : undefined;
  const source = "params" in st && "kind" in st ? declText(st as StateDecl) : undefined;
  const symbol = gen !== undefined ? cx.genMapSym(gen, name) : cx.mapSym(name);
  const m: IrMap = {
    name,
    symbol,
    kernelName: kernelName(symbol),
    family: s.family,
    kind: s.kind,
    mapType: s.mapType,
    key: s.key,
    value: s.value,
    keyLayout: layoutOf(s.keyTy, cName(s.key), "key"),
    valueLayout: s.valueLayout ?? layoutOf(s.valueTy, cName(s.value), "value"),
    maxEntries: s.maxEntries,
    ...(s.maxEntriesC ? { maxEntriesC: s.maxEntriesC } : {}),
    flags: s.flags ?? [],
    perCpu: s.perCpu,
    params: s.params,
    ...(element ? { elementLayout: layoutOf(element, tyName(element), "key") } : {}),
    ...(source ? { source } : {}),
    span: st.span,
  };
  cx.maps.push(m);
  return m;
}

/** Declares the structure's ARRAY (shared) or PERCPU_ARRAY (per_cpu) map of `entries` (default 1)
 *  `value`s, indexed by a __u32: a "store" (the state in one value, or chunked cells) or a
 *  "sketch" (count_min, bloom). `entriesC`: the C of `entries` where a stdlib macro states it. */
export function addArrayMap(
  cx: Lowerer,
  st: StateDecl,
  value: { c: CType; layout: Layout },
  params: IrMap["params"],
  o: { family?: "store" | "sketch"; entries?: number; entriesC?: string } = {},
): IrMap {
  const pc = perCpu(st);
  return addMap(cx, st.name, st, {
    kind: st.kind,
    family: o.family ?? "store",
    mapType: pc ? "BPF_MAP_TYPE_PERCPU_ARRAY" : "BPF_MAP_TYPE_ARRAY",
    key: C_U32,
    keyTy: U32,
    value: value.c,
    valueTy: U32,
    valueLayout: value.layout,
    maxEntries: o.entries ?? 1,
    ...(o.entriesC ? { maxEntriesC: o.entriesC } : {}),
    perCpu: pc,
    params,
  });
}

/** The structure's declaration as .nf text, with its canonical parameters (the C map's comment):
 *  `sketch flows: count_min<flow5>(rows = 4, width = 65536)`. */
export function declText(st: StateDecl): string {
  const types = [st.key, ...(st.value ? [st.value] : [])].map(tyName).join(", ");
  const params = Object.entries(st.params)
    .filter(([, x]) => x !== false)
    .map(([k, x]) => (x === true ? k : `${k} = ${x}`))
    .join(", ");
  return `${st.family} ${st.name}: ${st.kind}<${types}>(${params})`;
}

/** A zeroed stack temporary of type `ty` holding `value`; returns `&tmp`. */
export function stackTemp(cx: Lowerer, ty: CType, value: IExpr, out: IStmt[], prefix: string): IExpr {
  // Struct locals already are zero-padded stack variables of the right type: use them in place.
  // Scalars are copied: taking a scalar's address pins it to the stack, and a loop counter used
  // as a key in place lost its progress in the verifier's eyes ("infinite loop detected",
  // test/fuzz seed 1251).
  if (
    value.kind === "var" &&
    ty.kind === "struct" &&
    cTypeEq(ty, value.ty) &&
    !cx.configSymbols.has(value.name) &&
    !value.name.includes(".")
  )
    return addr(value, value.span);
  const name = cx.tmp(prefix);
  const t = v(name, ty, value.span);
  if (ty.kind === "struct") {
    out.push(decl(name, ty, value.span, undefined, true));
    if (!(value.kind === "var" && value.name === name)) out.push(assign(t, value, value.span));
  } else {
    out.push(
      decl(
        name,
        ty,
        value.span,
        cTypeEq(ty, value.ty) ? value : { kind: "cast", expr: value, ty, span: value.span },
      ),
    );
  }
  return addr(t, value.span);
}

export function perCpu(st: StateDecl): boolean {
  return st.params.per_cpu === true;
}

export function num(st: StateDecl, p: string): number {
  const x = st.params[p];
  return typeof x === "number" ? x : 0;
}
