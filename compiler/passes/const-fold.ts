// Constant folding and cleanup: folds integer arithmetic on constants with the IR's wrap
// semantics (result masked to its C type), constant casts, conditions and `if`s with a constant
// condition, comparisons of an expression with itself (clang rejects `x == x` under -Werror, and
// the user may well write it), comparisons whose truth the compared value's type decides
// (ranges.ts: `u8 <= 255`, `n > 5 || n < 10`; clang's -Wtautological-*), and drops statements
// after a `return` or `break` in the same block.
import { bool, int } from "../ir/build.js";
import type { CType } from "../ir/ctype.js";
import type { IExpr, IStmt } from "../ir/ir.js";
import { isPure, sameExpr } from "../ir/pure.js";
import { mapExpr, mapStmtExprs, mapStmtLists } from "../ir/walk.js";
import type { Pass } from "./pass.js";
import { foldByRange } from "./ranges.js";

const bitsOf = (t: CType): number | undefined => (t.kind === "int" ? t.bits : undefined);
const mask = (v: bigint, bits: number): bigint => v & ((1n << BigInt(bits)) - 1n);

function truth(e: IExpr): boolean | undefined {
  if (e.kind === "bool") return e.value;
  if (e.kind === "int" && e.ty.kind === "int") return e.value !== 0n;
  return undefined;
}

export function foldExpr(e: IExpr): IExpr {
  return mapExpr(e, (x) => {
    if (x.kind === "cast" && x.expr.kind === "int" && x.expr.ty.kind === "int") {
      const b = bitsOf(x.ty);
      if (b) return int(mask(x.expr.value, b), x.ty, x.span);
    }
    if (x.kind === "cond") {
      const c = truth(x.cond);
      if (c !== undefined) return c ? x.then : x.else;
    }
    if (x.kind === "unary" && x.op === "!") {
      const c = truth(x.operand);
      if (c !== undefined) return bool(!c, x.span);
    }
    if (x.kind === "binary" && (x.op === "&&" || x.op === "||")) {
      const l = truth(x.left);
      if (l !== undefined) return (x.op === "&&") === l ? x.right : bool(l, x.span);
    }
    if (x.kind === "binary" && x.op in SELF_COMPARE && sameExpr(x.left, x.right) && isPure(x.left)) {
      return bool(SELF_COMPARE[x.op]!, x.span);
    }
    const alg = algebra(x) ?? foldByRange(x);
    if (alg) return alg;
    if (
      x.kind === "binary" &&
      x.left.kind === "int" &&
      x.right.kind === "int" &&
      x.left.ty.kind === "int" &&
      x.right.ty.kind === "int"
    ) {
      const [a, b] = [x.left.value, x.right.value];
      if (x.ty.kind === "bool") {
        const r = { "==": a === b, "!=": a !== b, "<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b }[
          x.op as "=="
        ];
        if (r !== undefined) return bool(r, x.span);
      }
      const bits = bitsOf(x.ty);
      if (bits) {
        const r = arith(x.op, a, b);
        if (r !== undefined) return int(mask(r, bits), x.ty, x.span);
      }
    }
    return x;
  });
}

/**
 * Identities clang would otherwise flag under -Werror (-Wtautological-bitwise-compare) in code the
 * user may well write (test/fuzz): `x & 0` and `x * 0` are 0; `a && false`, `a || true` are
 * constants; `(x & m) == c` with bits of c outside m, and `(x | m) == c` with bits of m outside
 * c, are false (`!=`: true). Only pure `x`, `a`.
 */
function algebra(x: IExpr): IExpr | undefined {
  if (x.kind !== "binary") return undefined;
  const c = (e: IExpr) => (e.kind === "int" && e.ty.kind === "int" ? e.value : undefined);
  if ((x.op === "&" || x.op === "*") && x.ty.kind === "int") {
    if (c(x.right) === 0n && isPure(x.left)) return int(0n, x.ty, x.span);
    if (c(x.left) === 0n && isPure(x.right)) return int(0n, x.ty, x.span);
  }
  if (x.op === "&&" || x.op === "||") {
    const r = truth(x.right);
    if (r === undefined) return undefined;
    if ((x.op === "&&") === r) return x.left; // a && true, a || false
    if (isPure(x.left)) return bool(r, x.span); // a && false, a || true
  }
  if (x.op === "==" || x.op === "!=") {
    const [masked, k] =
      c(x.right) !== undefined
        ? [x.left, c(x.right)!]
        : c(x.left) !== undefined
          ? [x.right, c(x.left)!]
          : [undefined, 0n];
    if (masked?.kind === "binary" && (masked.op === "&" || masked.op === "|") && isPure(masked)) {
      const m = c(masked.right) ?? c(masked.left);
      // x & m has no bits outside m; x | m has every bit of m.
      const never = m !== undefined && (masked.op === "&" ? (k & ~m) !== 0n : (m & ~k) !== 0n);
      if (never) return bool(x.op === "!=", x.span);
    }
  }
  return undefined;
}

/** `a OP a` for unsigned integers and booleans. */
const SELF_COMPARE: Record<string, boolean> = {
  "==": true,
  "<=": true,
  ">=": true,
  "!=": false,
  "<": false,
  ">": false,
};

function arith(op: string, a: bigint, b: bigint): bigint | undefined {
  switch (op) {
    case "+":
      return a + b;
    case "-":
      return a - b;
    case "*":
      return a * b;
    case "/":
      return b === 0n ? undefined : a / b;
    case "%":
      return b === 0n ? undefined : a % b;
    case "&":
      return a & b;
    case "|":
      return a | b;
    case "^":
      return a ^ b;
    case "<<":
      return b < 64n ? a << b : undefined;
    case ">>":
      return b < 64n ? a >> b : undefined;
    default:
      return undefined;
  }
}

function cleanList(ss: IStmt[]): IStmt[] {
  const out: IStmt[] = [];
  for (const s of ss) {
    // `x = x` (clang: -Wself-assign) does nothing.
    if (s.kind === "assign" && s.op === "=" && sameExpr(s.target, s.value) && isPure(s.value)) continue;
    if (s.kind === "if") {
      const c = truth(s.cond);
      if (c !== undefined) {
        out.push(...(c ? s.then : s.else));
        if (out.some(ends)) break;
        continue;
      }
    }
    out.push(s);
    if (ends(s)) break;
  }
  return out;
}

const ends = (s: IStmt): boolean => s.kind === "return" || s.kind === "break";

export const constFold: Pass = {
  name: "const-fold",
  why: "fold constant arithmetic and branches so the C is small and the verifier sees fewer paths",
  run(ir) {
    const fold = (ss: IStmt[]) => mapStmtLists(mapStmtExprs(ss, foldExpr), cleanList);
    return { ...ir, handler: { ...ir.handler, body: fold(ir.handler.body) } };
  },
};
