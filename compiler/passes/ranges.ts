// Comparisons decided by the compared value's type alone, for const-fold. clang's
// -Wtautological-* family (-Werror) rejects `u8 <= 255`-like tests and, above all, pairs such as
// `n > 5 || n < 10` or `n == 1 && n == 2` (-Wtautological-overlap-compare), which users write
// and `match` ranges produce (`0..256` on a u8 is `t >= 0 && t < 256`). The rule: a comparison
// of a pure unsigned value with a constant, or an `&&`/`||` of two such comparisons of the same
// value, that has one truth value over the value's whole range [0, 2^bits) is that constant.
// Exact: such a predicate only changes truth at c or c + 1, so testing 0, the maximum, and each
// c - 1, c, c + 1 inside the range decides it.
import { bool } from "../ir/build.js";
import type { CBinOp, IExpr } from "../ir/ir.js";
import { isPure, sameExpr } from "../ir/pure.js";

type CmpOp = "==" | "!=" | "<" | "<=" | ">" | ">=";

interface Cmp {
  x: IExpr;
  op: CmpOp;
  c: bigint;
}

const FLIP: Record<CmpOp, CmpOp> = { "==": "==", "!=": "!=", "<": ">", "<=": ">=", ">": "<", ">=": "<=" };

const isCmpOp = (op: CBinOp): op is CmpOp => op in FLIP;

const constOf = (e: IExpr): bigint | undefined =>
  e.kind === "int" && e.ty.kind === "int" && e.value >= 0n ? e.value : undefined;

/** The largest value of `x`, when its C type bounds it exactly (no C integer promotion widens it). */
function maxOf(x: IExpr): bigint | undefined {
  if (x.ty.kind !== "int" || !isPure(x)) return undefined;
  // A narrow binary or unary is computed in `int` by C: its IR type does not bound the value.
  if ((x.kind === "binary" || x.kind === "unary") && x.ty.bits < 32) return undefined;
  const max = (1n << BigInt(x.ty.bits)) - 1n;
  // A widening cast keeps the narrower range: `(__u32)t` of a u8 is at most 255.
  if (x.kind === "cast" && x.expr.ty.kind === "int" && x.expr.ty.bits < x.ty.bits)
    return maxOf(x.expr) ?? max;
  return max;
}

/** `x OP c` with the constant on the right, or undefined. */
function asCmp(e: IExpr): Cmp | undefined {
  if (e.kind !== "binary" || !isCmpOp(e.op)) return undefined;
  const r = constOf(e.right);
  if (r !== undefined && constOf(e.left) === undefined) return { x: e.left, op: e.op, c: r };
  const l = constOf(e.left);
  if (l !== undefined && constOf(e.right) === undefined) return { x: e.right, op: FLIP[e.op], c: l };
  return undefined;
}

function holds(op: CmpOp, v: bigint, c: bigint): boolean {
  return { "==": v === c, "!=": v !== c, "<": v < c, "<=": v <= c, ">": v > c, ">=": v >= c }[op];
}

/** The one truth value of `p` over [0, max], or undefined when it depends on the value. */
function constantOver(p: (v: bigint) => boolean, consts: bigint[], max: bigint): boolean | undefined {
  const points = new Set<bigint>([0n, max]);
  for (const c of consts) for (const v of [c - 1n, c, c + 1n]) if (v >= 0n && v <= max) points.add(v);
  const truths = new Set([...points].map(p));
  return truths.size === 1 ? [...truths][0] : undefined;
}

/** The folded form of `e` when its truth is fixed by the compared value's range, else undefined. */
export function foldByRange(e: IExpr): IExpr | undefined {
  if (e.kind !== "binary") return undefined;
  const one = asCmp(e);
  if (one) {
    const max = maxOf(one.x);
    if (max === undefined) return undefined;
    const t = constantOver((v) => holds(one.op, v, one.c), [one.c], max);
    return t === undefined ? undefined : bool(t, e.span);
  }
  if (e.op !== "&&" && e.op !== "||") return undefined;
  const [a, b] = [asCmp(e.left), asCmp(e.right)];
  if (!a || !b || !sameExpr(a.x, b.x)) return undefined;
  const max = maxOf(a.x);
  if (max === undefined) return undefined;
  const both =
    e.op === "&&"
      ? (v: bigint) => holds(a.op, v, a.c) && holds(b.op, v, b.c)
      : (v: bigint) => holds(a.op, v, a.c) || holds(b.op, v, b.c);
  const t = constantOver(both, [a.c, b.c], max);
  return t === undefined ? undefined : bool(t, e.span);
}
