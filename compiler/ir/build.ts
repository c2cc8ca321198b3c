// Small constructors for IR nodes, so lowering code reads like the C it produces.
import type { Span } from "../../lang/span.js";
import { C_BOOL, C_INT, C_VOID, ptrTo, type CType } from "./ctype.js";
import type { CBinOp, IExpr, IStmt } from "./ir.js";

export const int = (value: bigint | number, ty: CType, span: Span, comment?: string): IExpr => ({
  kind: "int",
  value: BigInt(value),
  ty,
  span,
  ...(comment ? { comment } : {}),
});
export const cint = (value: number, span: Span): IExpr => int(value, C_INT, span);
export const bool = (value: boolean, span: Span): IExpr => ({ kind: "bool", value, ty: C_BOOL, span });
export const v = (name: string, ty: CType, span: Span): IExpr => ({ kind: "var", name, ty, span });
export const bin = (op: CBinOp, left: IExpr, right: IExpr, ty: CType, span: Span): IExpr => ({
  kind: "binary",
  op,
  left,
  right,
  ty,
  span,
});
export const cmp = (op: CBinOp, left: IExpr, right: IExpr, span: Span): IExpr =>
  bin(op, left, right, C_BOOL, span);
export const not = (operand: IExpr, span: Span): IExpr => ({
  kind: "unary",
  op: "!",
  operand,
  ty: C_BOOL,
  span,
});
export const cast = (expr: IExpr, ty: CType, span: Span): IExpr => ({ kind: "cast", expr, ty, span });
export const call = (fn: string, args: IExpr[], ty: CType, span: Span): IExpr => ({
  kind: "call",
  fn,
  args,
  ty,
  span,
});
export const addr = (of: IExpr, span: Span): IExpr => ({ kind: "addr", of, ty: ptrTo(of.ty), span });
export const deref = (ptr: IExpr, span: Span): IExpr => ({
  kind: "deref",
  ptr,
  ty: ptr.ty.kind === "ptr" ? ptr.ty.to : C_VOID,
  span,
});
export const member = (base: IExpr, field: string, ty: CType, span: Span): IExpr => ({
  kind: "member",
  base,
  field,
  ty,
  span,
});
export const mapref = (map: string, span: Span): IExpr => ({ kind: "mapref", map, ty: ptrTo(C_VOID), span });
export const cond = (c: IExpr, t: IExpr, e: IExpr, ty: CType, span: Span): IExpr => ({
  kind: "cond",
  cond: c,
  then: t,
  else: e,
  ty,
  span,
});

export const decl = (name: string, ty: CType, span: Span, init?: IExpr, zero?: boolean): IStmt => ({
  kind: "decl",
  name,
  ty,
  span,
  ...(init ? { init } : {}),
  ...(zero ? { zero } : {}),
});
export const assign = (target: IExpr, value: IExpr, span: Span): IStmt => ({
  kind: "assign",
  target,
  op: "=",
  value,
  span,
});
export const evalStmt = (expr: IExpr, span: Span): IStmt => ({ kind: "eval", expr, span });
export const ifStmt = (c: IExpr, then: IStmt[], els: IStmt[], span: Span): IStmt => ({
  kind: "if",
  cond: c,
  then,
  else: els,
  span,
});
export const index = (base: IExpr, idx: IExpr, ty: CType, span: Span): IExpr => ({
  kind: "index",
  base,
  index: idx,
  ty,
  span,
});
