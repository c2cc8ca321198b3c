// Hand-built CheckedProgram pieces for the interpreter's own tests (no parser or checker needed):
// tiny constructors for typed expressions, statements and a program shell. Test-only.
import type { BinaryOp, UnaryOp } from "../ast.js";
import type { KindName } from "../blocks/index.js";
import type { CheckedProgram, LocalSym, LValue, StateDecl, TExpr, TStmt, Value } from "../checked.js";
import { noSpan } from "../span.js";
import { BOOL, U16, U32, U64, U8, type Ty } from "../types.js";

const S = noSpan("hand.nf");
let nextId = 1;

export function sym(name: string, ty: Ty, mutable = true, binds?: LocalSym["binds"]): LocalSym {
  return { id: nextId++, name, ty, mutable, span: S, ...(binds ? { binds } : {}) };
}

export const lit = (ty: Ty, value: Value): TExpr => ({ kind: "lit", ty, value, span: S });
export const int = (v: bigint | number, ty: Ty = U32): TExpr => lit(ty, { kind: "int", v: BigInt(v) });
export const u8 = (v: number): TExpr => int(v, U8);
export const u16 = (v: number): TExpr => int(v, U16);
export const u64 = (v: bigint | number): TExpr => int(v, U64);
export const bool = (v: boolean): TExpr => lit(BOOL, { kind: "bool", v });
export const bytesLit = (ty: Ty, v: number[]): TExpr => lit(ty, { kind: "bytes", v });
export const local = (s: LocalSym, ty: Ty = s.ty): TExpr => ({ kind: "local", sym: s, ty, span: S });
export const hfield = (header: string, field: string, ty: Ty): TExpr => ({
  kind: "hfield",
  header,
  field,
  ty,
  span: S,
});
export const field = (base: TExpr, f: string, ty: Ty): TExpr => ({
  kind: "field",
  base,
  field: f,
  ty,
  span: S,
});
export const index = (base: TExpr, i: TExpr): TExpr => ({ kind: "index", base, index: i, ty: U8, span: S });
export const header = (h: string): TExpr => ({
  kind: "header",
  header: h,
  ty: { kind: "header", name: h },
  span: S,
});
export const cast = (e: TExpr, ty: Ty): TExpr => ({ kind: "cast", expr: e, ty, span: S });
export const bin = (op: BinaryOp, l: TExpr, r: TExpr, ty?: Ty): TExpr => ({
  kind: "binary",
  op,
  left: l,
  right: r,
  ty: ty ?? (["==", "!=", "<", "<=", ">", ">=", "&&", "||"].includes(op) ? BOOL : l.ty),
  span: S,
});
export const un = (op: UnaryOp, e: TExpr): TExpr => ({ kind: "unary", op, operand: e, ty: e.ty, span: S });
export const builtin = (name: (TExpr & { kind: "builtin" })["name"], args: TExpr[], ty: Ty): TExpr => ({
  kind: "builtin",
  name,
  args,
  ty,
  span: S,
});
export const op = (state: string, o: string, args: TExpr[], ty: Ty): TExpr => ({
  kind: "op",
  state,
  op: o,
  args,
  ty,
  span: S,
});
export const config = (name: string, ty: Ty): TExpr => ({ kind: "config", name, ty, span: S });

export const lvLocal = (s: LocalSym): LValue => ({
  kind: "local",
  sym: s,
  ty: s.ty.kind === "ref" ? s.ty.inner : s.ty,
  span: S,
});
export const lvH = (header: string, f: string, ty: Ty): LValue => ({
  kind: "hfield",
  header,
  field: f,
  ty,
  span: S,
});
export const lvField = (base: LValue, f: string, ty: Ty): LValue => ({
  kind: "field",
  base,
  field: f,
  ty,
  span: S,
});
export const lvIndex = (base: LValue, i: TExpr): LValue => ({
  kind: "index",
  base,
  index: i,
  ty: U8,
  span: S,
});
export const lvCounter = (name: string): LValue => ({ kind: "counter", name, ty: U64, span: S });

export const let_ = (s: LocalSym, value: TExpr): TStmt => ({ kind: "let", sym: s, value, span: S });
export const bind = (s: LocalSym, source: TExpr, els: TStmt[]): TStmt => ({
  kind: "bind",
  sym: s,
  source,
  else: els,
  span: S,
});
export const assign = (target: LValue, o: (TStmt & { kind: "assign" })["op"], value: TExpr): TStmt => ({
  kind: "assign",
  target,
  op: o,
  value,
  span: S,
});
export const if_ = (cond: TExpr, then: TStmt[], els: TStmt[] = []): TStmt => ({
  kind: "if",
  cond: { kind: "expr", expr: cond },
  then,
  else: els,
  span: S,
});
export const ifLet = (s: LocalSym, source: TExpr, then: TStmt[], els: TStmt[] = []): TStmt => ({
  kind: "if",
  cond: { kind: "bind", sym: s, source },
  then,
  else: els,
  span: S,
});
export const expr = (e: TExpr): TStmt => ({ kind: "expr", expr: e, span: S });
export const verdict = (v: "pass" | "drop" | "tx"): TStmt => ({ kind: "verdict", verdict: v, span: S });
export const redirect = (e: TExpr): TStmt => ({ kind: "redirect", ifindex: e, span: S });
export const for_ = (s: LocalSym, lo: bigint, hi: bigint, body: TStmt[]): TStmt => ({
  kind: "for",
  sym: s,
  lo,
  hi,
  body,
  span: S,
});
export const brk: TStmt = { kind: "break", span: S };

export function state(
  name: string,
  kind: KindName,
  key: Ty,
  value: Ty | undefined,
  params: StateDecl["params"],
): StateDecl {
  const family = ["count_min", "bloom"].includes(kind) ? "sketch" : "table";
  return { name, family, kind, key, ...(value ? { value } : {}), params, span: S };
}

export function program(parts: Partial<CheckedProgram> & { handler: TStmt[] }): CheckedProgram {
  return {
    file: "hand.nf",
    name: "hand",
    hook: "xdp",
    span: S,
    consts: [],
    configs: [],
    types: [],
    headers: [],
    parseExts: [],
    states: [],
    counters: [],
    usedHeaders: [],
    stackBytes: 0,
    ...parts,
  };
}
