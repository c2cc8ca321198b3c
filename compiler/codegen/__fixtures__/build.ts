// Hand-built CheckedPrograms for compiler tests: a tiny builder so tests do not depend on the
// parser and checker (and so every construct can be exercised exactly). Spans are line:col only.
import type { CheckedProgram, LocalSym, LValue, TExpr, TStmt, Value } from "../../../lang/checked.js";
import type { Hook } from "../../../lang/ast.js";
import type { Span } from "../../../lang/span.js";
import { BOOL, IP4, U16, U32, U64, U8, type Ty } from "../../../lang/types.js";

export const FILE = "t.nf";
export const sp = (line = 1, col = 1): Span => ({
  file: FILE,
  start: line * 100 + col,
  end: line * 100 + col + 1,
  line,
  col,
});

let nextId = 1;
/** Fixtures call this first, so local ids (and C names) do not depend on test order. */
export function resetIds(): void {
  nextId = 1;
}
export function sym(name: string, ty: Ty, binds?: LocalSym["binds"], mutable = false): LocalSym {
  return { id: nextId++, name, ty, mutable, span: sp(), ...(binds ? { binds } : {}) };
}

export const lit = (v: bigint | number, ty: Ty = U32, line = 1): TExpr => ({
  kind: "lit",
  value: { kind: "int", v: BigInt(v) },
  ty,
  span: sp(line),
});
export const blit = (v: boolean): TExpr => ({
  kind: "lit",
  value: { kind: "bool", v },
  ty: BOOL,
  span: sp(),
});
export const ip4 = (a: number, b: number, c: number, d: number): TExpr => ({
  kind: "lit",
  value: { kind: "bytes", v: [a, b, c, d] },
  ty: IP4,
  span: sp(),
});
export const local = (s: LocalSym, line = 1): TExpr => ({ kind: "local", sym: s, ty: s.ty, span: sp(line) });
export const hfield = (header: string, field: string, ty: Ty, line = 1): TExpr => ({
  kind: "hfield",
  header,
  field,
  ty,
  span: sp(line),
});
export const bin = (
  op: Extract<TExpr, { kind: "binary" }>["op"],
  left: TExpr,
  right: TExpr,
  ty?: Ty,
): TExpr => ({
  kind: "binary",
  op,
  left,
  right,
  ty: ty ?? (["==", "!=", "<", "<=", ">", ">=", "&&", "||"].includes(op) ? BOOL : left.ty),
  span: left.span,
});
export const op = (state: string, o: string, args: TExpr[], ty: Ty, line = 1): TExpr => ({
  kind: "op",
  state,
  op: o,
  args,
  ty,
  span: sp(line),
});
export const builtin = (
  name: Extract<TExpr, { kind: "builtin" }>["name"],
  args: TExpr[],
  ty: Ty,
  line = 1,
): TExpr => ({ kind: "builtin", name, args, ty, span: sp(line) });
export const cfg = (name: string, ty: Ty): TExpr => ({ kind: "config", name, ty, span: sp() });

export const verdict = (v: "pass" | "drop" | "tx", line = 1): TStmt => ({
  kind: "verdict",
  verdict: v,
  span: sp(line),
});
export const letS = (s: LocalSym, value: TExpr, line = 1): TStmt => ({
  kind: "let",
  sym: s,
  value,
  span: sp(line),
});
export const bindHeader = (s: LocalSym, header: string, els: TStmt[], line = 1): TStmt => ({
  kind: "bind",
  sym: s,
  source: { kind: "header", header, ty: { kind: "header", name: header }, span: sp(line) },
  else: els,
  span: sp(line),
});
export const ifS = (cond: TExpr, then: TStmt[], els: TStmt[] = [], line = 1): TStmt => ({
  kind: "if",
  cond: { kind: "expr", expr: cond },
  then,
  else: els,
  span: sp(line),
});
export const exprS = (e: TExpr): TStmt => ({ kind: "expr", expr: e, span: e.span });
export const assignS = (
  target: LValue,
  o: Extract<TStmt, { kind: "assign" }>["op"],
  value: TExpr,
  line = 1,
): TStmt => ({ kind: "assign", target, op: o, value, span: sp(line) });
export const counterInc = (name: string, line = 1): TStmt =>
  assignS({ kind: "counter", name, ty: U64, span: sp(line) }, "+=", lit(1, U64, line), line);
export const lvLocal = (s: LocalSym): LValue => ({ kind: "local", sym: s, ty: s.ty, span: sp() });
export const lvField = (header: string, field: string, ty: Ty, line = 1): LValue => ({
  kind: "hfield",
  header,
  field,
  ty,
  span: sp(line),
});

export function program(
  p: Partial<CheckedProgram> & { name: string; handler: TStmt[] },
  hook: Hook = "xdp",
): CheckedProgram {
  return {
    file: FILE,
    hook,
    span: sp(),
    consts: [],
    configs: [],
    types: [],
    headers: [],
    parseExts: [],
    states: [],
    counters: [],
    usedHeaders: [],
    stackBytes: 0,
    ...p,
  };
}

export const int = (v: number): Value => ({ kind: "int", v: BigInt(v) });
export { BOOL, IP4, U16, U32, U64, U8 };
