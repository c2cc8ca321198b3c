// Conversions the checker makes explicit so the compiler never guesses: integer widening becomes a
// `cast` node, integer literals are typed by their context and must fit.
import type { Expr } from "../ast.js";
import type { TExpr } from "../checked.js";
import { diag } from "../diagnostics/catalogue.js";
import { isInt, tyEq, tyName, type Ty } from "../types.js";
import type { Ctx } from "./context.js";
import { maxOf } from "./consts.js";

/** Widens `e` to `target` (int to wider int), or reports NF2008 at its span. */
export function coerce(ctx: Ctx, e: TExpr, target: Ty): TExpr | undefined {
  if (tyEq(e.ty, target)) return e;
  if (isInt(e.ty) && isInt(target) && e.ty.bits < target.bits) return castTo(e, target);
  ctx.report(diag("NF2008", e.span, { expected: tyName(target), found: tyName(e.ty) }));
  return undefined;
}

export function castTo(e: TExpr, ty: Ty): TExpr {
  return { kind: "cast", expr: e, ty, span: e.span };
}

/** The wider of two integer types. */
export function wider(a: Ty & { kind: "int" }, b: Ty & { kind: "int" }): Ty & { kind: "int" } {
  return a.bits >= b.bits ? a : b;
}

/**
 * True when the expression's type comes from its context: an integer literal, or arithmetic made
 * only of such (`1 << 4`).
 */
export function isContextTyped(e: Expr): boolean {
  switch (e.kind) {
    case "int":
      return true;
    case "unary":
      return e.op !== "!" && isContextTyped(e.operand);
    case "binary":
      return ARITH.has(e.op) && isContextTyped(e.left) && isContextTyped(e.right);
    case "call":
      // min/max of literals take the type the context needs, like arithmetic on literals.
      return (
        (e.callee.name === "min" || e.callee.name === "max") && e.args.every((a) => isContextTyped(a.value))
      );
    default:
      return false;
  }
}

export const ARITH = new Set(["+", "-", "*", "/", "%", "|", "^", "&", "<<", ">>"]);

/** Types an integer literal with `ty` (an int type, default u64), reporting NF2009 if it does not fit. */
export function intLit(ctx: Ctx, e: Expr & { kind: "int" }, ty: Ty | undefined): TExpr | undefined {
  const t: Ty & { kind: "int" } = ty && isInt(ty) ? ty : { kind: "int", bits: 64 };
  if (e.value > maxOf(t.bits)) {
    ctx.report(diag("NF2009", e.span, { text: e.text, ty: tyName(t), max: String(maxOf(t.bits)) }));
    return undefined;
  }
  return { kind: "lit", value: { kind: "int", v: e.value }, ty: t, span: e.span };
}
