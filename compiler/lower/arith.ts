// Integer semantics made explicit (docs/LANGUAGE.md "Expressions"): + - * wrap modulo 2^bits (u8/u16
// results are truncated with a cast: C would promote to int and, for *, could even overflow it),
// shifts mask their count with bits-1, x / 0 == 0 and x % 0 == x, comparisons are unsigned.
// Operands arrive already converted to a common type by the checker.
import type { BinaryOp, UnaryOp } from "../../lang/ast.js";
import type { Span } from "../../lang/span.js";
import { assertNever, type Ty } from "../../lang/types.js";
import { bin, call, cast, cmp, cond, int, not } from "../ir/build.js";
import { C_BE32, C_BOOL, C_U32, cInt, type CType } from "../ir/ctype.js";
import type { IExpr, IStmt } from "../ir/ir.js";
import { addressable, bug, type Lowerer } from "./context.js";

/** Arithmetic in at least 32 bits, so small operands never promote to signed int. */
function widen(e: IExpr, bits: number, span: Span): IExpr {
  return bits < 32 ? cast(e, C_U32, span) : e;
}

/** A binary operator other than && / || (those short-circuit: see expressions.ts). */
export function lowerBinary(
  cx: Lowerer,
  op: BinaryOp,
  operandTy: Ty,
  l: IExpr,
  r: IExpr,
  span: Span,
  out: IStmt[],
): IExpr {
  switch (op) {
    case "==":
    case "!=":
      return equality(cx, op, operandTy, l, r, span, out);
    case "<":
    case "<=":
    case ">":
    case ">=":
      return cmp(op, l, r, span);
    case "&&":
    case "||":
      return bin(op, l, r, C_BOOL, span);
    default:
      break;
  }
  if (operandTy.kind !== "int") bug(`arithmetic \`${op}\` on ${operandTy.kind}`, span);
  const bits = operandTy.bits;
  const T = cInt(bits);
  switch (op) {
    case "+":
    case "-":
    case "*": {
      const e = bin(op, widen(l, bits, span), widen(r, bits, span), bits < 32 ? C_U32 : T, span);
      return bits < 32 ? cast(e, T, span) : e;
    }
    case "/": {
      const rr = cx.hoist(r, out);
      return cond(rr, bin("/", l, rr, T, span), int(0, T, span), T, span);
    }
    case "%": {
      const rr = cx.hoist(r, out);
      const ll = cx.hoist(l, out);
      return cond(rr, bin("%", ll, rr, T, span), ll, T, span);
    }
    case "<<": {
      const n = bin("&", r, int(bits - 1, T, span), T, span);
      const e = bin("<<", widen(l, bits, span), n, bits < 32 ? C_U32 : T, span);
      return bits < 32 ? cast(e, T, span) : e;
    }
    case ">>":
      return bin(">>", l, bin("&", r, int(bits - 1, T, span), T, span), T, span);
    case "&":
    case "|":
    case "^":
      return bin(op, l, r, T, span);
    default:
      return assertNever(op);
  }
}

function equality(cx: Lowerer, op: "==" | "!=", t: Ty, l: IExpr, r: IExpr, span: Span, out: IStmt[]): IExpr {
  let eq: IExpr;
  switch (t.kind) {
    case "int":
    case "bool":
    case "ip4":
      return cmp(op, l, r, span);
    case "ip6":
      eq = call("nf_ip6_eq", [addressable(cx, l, out), addressable(cx, r, out)], C_BOOL, span);
      break;
    case "mac":
      eq = call("nf_mac_eq", [addressable(cx, l, out), addressable(cx, r, out)], C_BOOL, span);
      break;
    case "bytes":
    case "struct":
      eq = call(
        "nf_bytes_eq",
        [addressable(cx, l, out), addressable(cx, r, out), int(sizeOfTy(t), C_U32, span)],
        C_BOOL,
        span,
      );
      break;
    default:
      bug(`equality on ${t.kind}`, span);
  }
  return op === "==" ? eq : not(eq, span);
}

function sizeOfTy(t: Ty): number {
  return t.kind === "bytes" ? t.len : t.kind === "struct" ? t.size : 0;
}

export function lowerUnary(op: UnaryOp, t: Ty, x: IExpr, span: Span): IExpr {
  switch (op) {
    case "!":
      return not(x, span);
    case "~":
    case "-": {
      if (t.kind !== "int") bug(`unary \`${op}\` on ${t.kind}`, span);
      const T = cInt(t.bits);
      const e: IExpr = {
        kind: "unary",
        op,
        operand: widen(x, t.bits, span),
        ty: t.bits < 32 ? C_U32 : T,
        span,
      };
      return t.bits < 32 ? cast(e, T, span) : e;
    }
    default:
      return assertNever(op);
  }
}

/** `x as T`: truncate / zero-extend integers; ip4 <-> u32 converts byte order. */
export function lowerCast(from: Ty, to: Ty, x: IExpr, toC: CType, span: Span): IExpr {
  if (from.kind === "ip4" && to.kind === "int")
    return widenTo(call("bpf_ntohl", [x], C_U32, span), 32, to.bits, span);
  if (from.kind === "int" && to.kind === "ip4")
    return call("bpf_htonl", [from.bits === 32 ? x : cast(x, C_U32, span)], C_BE32, span);
  if (from.kind === "int" && to.kind === "int") return from.bits === to.bits ? x : cast(x, toC, span);
  if (from.kind === to.kind) return x;
  if (from.kind === "bool" && to.kind === "int") return cast(x, toC, span);
  bug(`cast from ${from.kind} to ${to.kind}`, span);
}

function widenTo(e: IExpr, from: number, to: number, span: Span): IExpr {
  return from === to ? e : cast(e, cInt(to as 8 | 16 | 32 | 64), span);
}
