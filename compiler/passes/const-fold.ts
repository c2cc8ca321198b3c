// Constant folding and cleanup: folds integer arithmetic on constants with the IR's wrap
// semantics (result masked to its C type), constant casts, conditions and `if`s with a constant
// condition, and drops statements after a `return` or `break` in the same block.
import { bool, int } from "../ir/build.js";
import type { CType } from "../ir/ctype.js";
import type { IExpr, IStmt } from "../ir/ir.js";
import { mapExpr, mapStmtExprs, mapStmtLists } from "../ir/walk.js";
import type { Pass } from "./pass.js";

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
    if (x.kind === "binary" && x.left.kind === "int" && x.right.kind === "int" && x.left.ty.kind === "int" && x.right.ty.kind === "int") {
      const [a, b] = [x.left.value, x.right.value];
      if (x.ty.kind === "bool") {
        const r = { "==": a === b, "!=": a !== b, "<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b }[x.op as "=="];
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
