// Operator semantics of record (docs/LANGUAGE.md "Expressions"), the single place the
// interpreter defines them: + - * wrap at the operand width; x / 0 == 0 and x % 0 == x; shift
// counts are masked with bits-1; comparisons are unsigned; `-x` is `0 - x`. `&&`/`||`
// short-circuit in exec.ts (they are control flow, not operators on two values).
import type { BinaryOp, UnaryOp } from "../ast.js";
import { assertNever, type Ty } from "../types.js";
import {
  asBool,
  asBytes,
  asInt,
  bytesEqual,
  dataTy,
  maskOf,
  readUint,
  writeUint,
  type RV,
} from "./layout.js";

function bitsOf(t: Ty): number {
  const d = dataTy(t);
  if (d.kind !== "int") throw new Error(`interp: integer operator on ${d.kind}`);
  return d.bits;
}

/** Equality of two values of the same type (ints, bools, and byte-like values). */
export function valuesEqual(a: RV, b: RV): boolean {
  if (typeof a === "bigint" || typeof a === "boolean") return a === b;
  return bytesEqual(asBytes(a), asBytes(b));
}

/**
 * `l op r` where both operands have type `operandTy` (the checker converted them to a common
 * type). Not for `&&`/`||`.
 */
export function binary(op: BinaryOp, operandTy: Ty, l: RV, r: RV): RV {
  switch (op) {
    case "==":
      return valuesEqual(l, r);
    case "!=":
      return !valuesEqual(l, r);
    case "<":
      return asInt(l) < asInt(r);
    case "<=":
      return asInt(l) <= asInt(r);
    case ">":
      return asInt(l) > asInt(r);
    case ">=":
      return asInt(l) >= asInt(r);
    case "&&":
    case "||":
      throw new Error("interp: short-circuit operators are evaluated in exec.ts");
    default:
      break;
  }
  if (typeof l === "boolean") {
    // bool & | ^ (no integer meaning; kept for completeness)
    const a = l;
    const b = asBool(r);
    if (op === "&") return a && b;
    if (op === "|") return a || b;
    if (op === "^") return a !== b;
    throw new Error(`interp: \`${op}\` on bool`);
  }
  const bits = bitsOf(operandTy);
  const m = maskOf(bits);
  const a = asInt(l);
  const b = asInt(r);
  switch (op) {
    case "+":
      return (a + b) & m;
    case "-":
      return (a - b) & m;
    case "*":
      return (a * b) & m;
    case "/":
      return b === 0n ? 0n : a / b;
    case "%":
      return b === 0n ? a : a % b;
    case "<<":
      return (a << (b & BigInt(bits - 1))) & m;
    case ">>":
      return a >> (b & BigInt(bits - 1));
    case "&":
      return a & b;
    case "|":
      return a | b;
    case "^":
      return a ^ b;
    default:
      return assertNever(op);
  }
}

export function unary(op: UnaryOp, t: Ty, x: RV): RV {
  switch (op) {
    case "!":
      return !asBool(x);
    case "~":
      return ~asInt(x) & maskOf(bitsOf(t));
    case "-":
      return (0n - asInt(x)) & maskOf(bitsOf(t));
    default:
      return assertNever(op);
  }
}

/** `x as to`: integers truncate / zero-extend; ip4 <-> integer converts network <-> host order. */
export function cast(from: Ty, to: Ty, x: RV): RV {
  const f = dataTy(from);
  const t = dataTy(to);
  if (t.kind === "int") {
    const m = maskOf(t.bits);
    if (f.kind === "int") return asInt(x) & m;
    if (f.kind === "ip4") return readUint(asBytes(x), 0, 4, true) & m;
    if (f.kind === "bool") return asBool(x) ? 1n : 0n;
  }
  if (t.kind === "ip4" && f.kind === "int") {
    const out = new Uint8Array(4);
    writeUint(out, 0, 4, asInt(x) & 0xffffffffn, true);
    return out;
  }
  if (t.kind === "bool" && f.kind === "int") return asInt(x) !== 0n;
  if (f.kind === t.kind) return x instanceof Uint8Array ? x.slice() : x;
  throw new Error(`interp: cast from ${f.kind} to ${t.kind}`);
}

export function minMax(name: "min" | "max", a: RV, b: RV): RV {
  const x = asInt(a);
  const y = asInt(b);
  return name === "min" ? (x < y ? x : y) : x > y ? x : y;
}
