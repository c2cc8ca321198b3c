// Compile-time evaluation: const initialisers, loop bounds, bytes[N] lengths, match patterns,
// parse values and structure parameters. Integers are evaluated exactly (bigint) and checked
// against the target type at the end, so `const X: u8 = 200 + 100` is an error, not a wrap.
import type { Expr } from "../ast.js";
import type { Value } from "../checked.js";
import { diag } from "../diagnostics/catalogue.js";
import { BOOL, IP4, IP6, MAC, tyName, U64, type Ty } from "../types.js";
import { closest, type Ctx, describeGlobal } from "./context.js";
import { resolveConst } from "./decl-consts.js";

export interface ConstResult {
  value: Value;
  ty: Ty | undefined; // undefined: an untyped integer (literal arithmetic), adopts the context
}

/** Largest value of an integer type. */
export const maxOf = (bits: number): bigint => (1n << BigInt(bits)) - 1n;

/**
 * Evaluates `e` at compile time. Reports NF2012 (naming `what`) when it is not constant and
 * returns undefined after any error.
 */
export function evalConst(ctx: Ctx, e: Expr, what: string): ConstResult | undefined {
  const bad = (): undefined => {
    ctx.report(diag("NF2012", e.span, { what }));
    return undefined;
  };
  switch (e.kind) {
    case "int":
      return { value: { kind: "int", v: e.value }, ty: undefined };
    case "bool":
      return { value: { kind: "bool", v: e.value }, ty: BOOL };
    case "ip4":
      return { value: { kind: "bytes", v: [...e.bytes] }, ty: IP4 };
    case "ip6":
      return { value: { kind: "bytes", v: [...e.bytes] }, ty: IP6 };
    case "mac":
      return { value: { kind: "bytes", v: [...e.bytes] }, ty: MAC };
    case "name": {
      const g = ctx.globals.get(e.name.name);
      if (!g) {
        ctx.report(
          diag("NF2001", e.name.span, {
            name: e.name.name,
            suggestion: closest(e.name.name, ctx.globals.keys()),
          }),
        );
        return undefined;
      }
      if (g.kind !== "const") {
        if (g.kind === "config") return bad();
        ctx.report(diag("NF2004", e.span, { name: g.name, is: describeGlobal(g), expected: "a constant" }));
        return undefined;
      }
      const c = resolveConst(ctx, g);
      return c ? { value: c.value, ty: c.ty } : undefined;
    }
    case "unary": {
      const r = evalConst(ctx, e.operand, what);
      if (!r) return undefined;
      if (e.op === "!")
        return r.value.kind === "bool" ? { value: { kind: "bool", v: !r.value.v }, ty: BOOL } : bad();
      if (r.value.kind !== "int") return bad();
      const bits = r.ty?.kind === "int" ? r.ty.bits : 64;
      const v = e.op === "-" ? -r.value.v : maxOf(bits) ^ r.value.v;
      return { value: { kind: "int", v }, ty: r.ty };
    }
    case "binary":
      return evalBinary(ctx, e, what, bad);
    case "cast": {
      const r = evalConst(ctx, e.expr, what);
      if (!r || r.value.kind !== "int" || e.type.kind !== "named") return r ? bad() : undefined;
      const bits = { u8: 8, u16: 16, u32: 32, u64: 64 }[e.type.name.name];
      if (!bits) return bad();
      return {
        value: { kind: "int", v: BigInt.asUintN(bits, r.value.v) },
        ty: { kind: "int", bits: bits as 8 },
      };
    }
    case "decimal":
    case "prefix":
    case "string":
    case "field":
    case "index":
    case "call":
    case "method":
    case "struct":
      return bad();
    case "error":
      return undefined;
    default:
      return assertNeverExpr(e);
  }
}

function evalBinary(
  ctx: Ctx,
  e: Expr & { kind: "binary" },
  what: string,
  bad: () => undefined,
): ConstResult | undefined {
  const l = evalConst(ctx, e.left, what);
  const r = evalConst(ctx, e.right, what);
  if (!l || !r) return undefined;
  if (e.op === "&&" || e.op === "||") {
    if (l.value.kind !== "bool" || r.value.kind !== "bool") return bad();
    return {
      value: { kind: "bool", v: e.op === "&&" ? l.value.v && r.value.v : l.value.v || r.value.v },
      ty: BOOL,
    };
  }
  if (l.value.kind !== "int" || r.value.kind !== "int") return bad();
  const a = l.value.v;
  const b = r.value.v;
  const ty = widerOf(l.ty, r.ty);
  const bits = BigInt(ty?.kind === "int" ? ty.bits : 64);
  const int = (v: bigint): ConstResult => ({ value: { kind: "int", v }, ty });
  const bool = (v: boolean): ConstResult => ({ value: { kind: "bool", v }, ty: BOOL });
  switch (e.op) {
    case "+":
      return int(a + b);
    case "-":
      return int(a - b);
    case "*":
      return int(a * b);
    case "/":
      return int(b === 0n ? 0n : a / b);
    case "%":
      return int(b === 0n ? a : a % b);
    case "&":
      return int(a & b);
    case "|":
      return int(a | b);
    case "^":
      return int(a ^ b);
    case "<<":
      return int(a << (b & (bits - 1n)));
    case ">>":
      return int(a >> (b & (bits - 1n)));
    case "==":
      return bool(a === b);
    case "!=":
      return bool(a !== b);
    case "<":
      return bool(a < b);
    case "<=":
      return bool(a <= b);
    case ">":
      return bool(a > b);
    case ">=":
      return bool(a >= b);
  }
}

function widerOf(a: Ty | undefined, b: Ty | undefined): Ty | undefined {
  if (a?.kind === "int" && b?.kind === "int") return a.bits >= b.bits ? a : b;
  return a ?? b;
}

/**
 * Evaluates a constant integer and checks it fits `ty` (or u64 when absent). Reports NF2009 at the
 * expression's span when it does not.
 */
export function evalConstInt(ctx: Ctx, e: Expr, what: string, ty: Ty = U64): bigint | undefined {
  const r = evalConst(ctx, e, what);
  if (!r) return undefined;
  if (r.value.kind !== "int") {
    ctx.report(diag("NF2008", e.span, { expected: tyName(ty), found: r.ty ? tyName(r.ty) : "integer" }));
    return undefined;
  }
  const bits = ty.kind === "int" ? ty.bits : 64;
  if (r.value.v < 0n || r.value.v > maxOf(bits)) {
    ctx.report(
      diag("NF2009", e.span, {
        text: e.kind === "int" ? e.text : String(r.value.v),
        ty: tyName(ty.kind === "int" ? ty : U64),
        max: String(maxOf(bits)),
      }),
    );
    return undefined;
  }
  return r.value.v;
}

function assertNeverExpr(e: never): never {
  throw new Error(`unexpected expression kind: ${JSON.stringify(e)}`);
}
