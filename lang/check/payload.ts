// Pass 3b: `payload.OP(...)`, the bytes after the L4 header (docs/LANGUAGE.md "Payload"). Every
// access is bounded by construction: reads past the packet's end give 0 / false / a zeroed tail,
// writes past it do nothing, scans and slices have a constant bound the checker limits (NF4230).
// Writes and resizes need UDP over IPv4 proven present: they set the UDP checksum to zero (RFC 768
// allows it over IPv4) and keep the IPv4 and UDP lengths right.
import type { Arg, Expr } from "../ast.js";
import type { PayloadOp, TExpr, Value } from "../checked.js";
import { diag } from "../diagnostics/catalogue.js";
import { BOOL, isInt, tyName, U16, U32, U8, type Ty } from "../types.js";
import { closest, listNames } from "./context.js";
import { evalConstInt } from "./consts.js";
import { checkAt, checkValue, type Env } from "./expressions.js";

/** Largest constant bound of a scan, a slice or a string compared (bytes). */
export const PAYLOAD_MAX = 256;
/** Largest payload `resize` accepts at run time (bytes; a larger `n` returns false). */
export const PAYLOAD_RESIZE_MAX = 1472;

const ARITY: Record<string, [number, number]> = {
  len: [0, 0],
  u8: [1, 1],
  u16: [1, 1],
  u32: [1, 1],
  starts_with: [1, 2],
  find: [3, 3],
  slice: [2, 2],
  write: [2, 3],
  resize: [1, 1],
};

/** True when `e` is `payload.op(...)` and `payload` is not a user name. */
export function isPayloadCall(env: Env, e: Expr & { kind: "method" }): boolean {
  if (e.target.kind !== "name" || e.target.name.name !== "payload") return false;
  return env.scope.lookup("payload") === undefined && !env.ctx.globals.has("payload");
}

export function checkPayload(
  env: Env,
  e: Expr & { kind: "method" },
  expected: Ty | undefined,
): TExpr | undefined {
  const { ctx, scope } = env;
  const op = e.method.name;
  const arity = ARITY[op];
  if (!arity) {
    const ops = Object.keys(ARITY);
    ctx.report(diag("NF3051", e.method.span, { op, ops: listNames(ops), suggestion: closest(op, ops) }));
    return undefined;
  }
  const named = e.args.find((a) => a.name);
  if (named?.name) {
    ctx.report(diag("NF2032", named.name.span, { name: named.name.name }));
    return undefined;
  }
  if (e.args.length < arity[0] || e.args.length > arity[1]) {
    const expected = arity[0] === arity[1] ? String(arity[0]) : `${arity[0]} or ${arity[1]}`;
    ctx.report(diag("NF2007", e.span, { what: `payload.${op}`, expected, found: e.args.length }));
    return undefined;
  }
  const l4 = scope.present.has("udp") ? "udp" : scope.present.has("tcp") ? "tcp" : undefined;
  if (!l4) {
    ctx.usedHeaders.add("udp");
    ctx.report(diag("NF3050", e.target.span, {}));
    return undefined;
  }
  ctx.usedHeaders.add(l4);
  const name = `payload_${op}` as PayloadOp;
  const mk = (args: TExpr[], ty: Ty, present?: string[]): TExpr =>
    present
      ? { kind: "builtin", name, args, ty, span: e.span, present }
      : { kind: "builtin", name, args, ty, span: e.span };
  const at = (a: Arg | undefined, ty: Ty): TExpr | undefined => (a ? checkAt(env, a.value, ty) : undefined);
  const args = e.args;
  switch (op) {
    case "len":
      return mk([], U32);
    case "u8":
    case "u16":
    case "u32": {
      const off = at(args[0], U32);
      return off ? mk([off], op === "u8" ? U8 : op === "u16" ? U16 : U32) : undefined;
    }
    case "starts_with": {
      const lit = stringBytes(env, args[0]!);
      const off = args[1] ? at(args[1], U32) : zero(e);
      if (!lit || !off) return undefined;
      return mk([lit, off], BOOL);
    }
    case "find": {
      const byte = at(args[0], U8);
      const from = at(args[1], U32);
      const n = bound(env, args[2]!, "the scan length of `payload.find`");
      if (!byte || !from || n === undefined) return undefined;
      const nLit: TExpr = { kind: "lit", value: { kind: "int", v: BigInt(n) }, ty: U32, span: args[2]!.span };
      return mk([byte, from, nLit], U32);
    }
    case "slice": {
      if (expected?.kind !== "bytes") {
        ctx.report(diag("NF3053", e.span, { found: expected ? tyName(expected) : "no type" }));
        return undefined;
      }
      if (expected.len > PAYLOAD_MAX) {
        ctx.report(diag("NF4230", e.span, { what: "a payload slice", n: expected.len, max: PAYLOAD_MAX }));
        return undefined;
      }
      loopCost(env, expected.len, e);
      const off = at(args[0], U32);
      const len = at(args[1], U32);
      return off && len ? mk([off, len], expected) : undefined;
    }
    case "write":
    case "resize": {
      if (!writable(env, e)) return undefined;
      const present = [...scope.present].sort();
      if (op === "resize") {
        const n = at(args[0], U32);
        return n ? mk([n], BOOL, present) : undefined;
      }
      const off = at(args[0], U32);
      const value = checkValue(env, args[1]!.value, U32);
      if (!off || !value) return undefined;
      const ok = (isInt(value.ty) && value.ty.bits <= 32) || value.ty.kind === "bytes";
      if (!ok) {
        ctx.report(diag("NF2045", args[1]!.span, { ty: tyName(value.ty) }));
        return undefined;
      }
      if (value.ty.kind === "bytes") {
        if (value.ty.len > PAYLOAD_MAX) {
          ctx.report(
            diag("NF4230", args[1]!.span, { what: "a payload write", n: value.ty.len, max: PAYLOAD_MAX }),
          );
          return undefined;
        }
        loopCost(env, value.ty.len, e);
      } else if (args[2]) {
        ctx.report(diag("NF2046", args[2].span, { ty: tyName(value.ty) }));
        return undefined;
      }
      const full: TExpr = {
        kind: "lit",
        value: {
          kind: "int",
          v: BigInt(
            value.ty.kind === "bytes" ? value.ty.len : value.ty.kind === "int" ? value.ty.bits / 8 : 0,
          ),
        },
        ty: U32,
        span: e.span,
      };
      const len = args[2] ? at(args[2], U32) : full;
      return len ? mk([off, value, len], BOOL, present) : undefined;
    }
  }
  return undefined;
}

function zero(e: Expr): TExpr {
  return { kind: "lit", value: { kind: "int", v: 0n }, ty: U32, span: e.span };
}

/** A string literal as a `bytes[L]` literal (1 ≤ L ≤ PAYLOAD_MAX, bytes 0..255). */
function stringBytes(env: Env, a: Arg): TExpr | undefined {
  const e = a.value;
  if (e.kind !== "string") {
    env.ctx.report(diag("NF3052", e.span, { why: "is not a string literal" }));
    return undefined;
  }
  const bytes = [...e.value].map((c) => c.codePointAt(0)!);
  if (bytes.length === 0 || bytes.some((b) => b > 255)) {
    const why = bytes.length === 0 ? "is empty" : "has a character above \\xff";
    env.ctx.report(diag("NF3052", e.span, { why }));
    return undefined;
  }
  if (bytes.length > PAYLOAD_MAX) {
    env.ctx.report(diag("NF4230", e.span, { what: "a string compared", n: bytes.length, max: PAYLOAD_MAX }));
    return undefined;
  }
  return {
    kind: "lit",
    value: { kind: "bytes", v: bytes },
    ty: { kind: "bytes", len: bytes.length },
    span: e.span,
  };
}

/** A constant scan length 1..PAYLOAD_MAX. */
function bound(env: Env, a: Arg, what: string): number | undefined {
  const n = evalConstInt(env.ctx, a.value, what, U32);
  if (n === undefined) return undefined;
  if (n < 1n || n > BigInt(PAYLOAD_MAX)) {
    env.ctx.report(diag("NF4230", a.span, { what, n: Number(n), max: PAYLOAD_MAX }));
    return undefined;
  }
  loopCost(env, Number(n), a.value);
  return Number(n);
}

/** A byte loop of `n` inside the user's loops counts toward the nested-iteration limit. */
function loopCost(env: Env, n: number, e: { span: Expr["span"] }): void {
  const total = env.scope.loopProduct * BigInt(n);
  if (env.scope.loopDepth > 0 && total > 65536n)
    env.ctx.report(diag("NF4231", e.span, { n: String(total), max: 65536 }));
}

function writable(env: Env, e: Expr & { kind: "method" }): boolean {
  const { present } = env.scope;
  if (present.has("udp") && present.has("ipv4")) {
    env.ctx.usedHeaders.add("ipv4");
    return true;
  }
  env.ctx.report(
    diag("NF3054", e.method.span, { op: e.method.name, missing: present.has("udp") ? "ipv4" : "udp" }),
  );
  return false;
}

/** A string literal where a `bytes[N]` is expected: its bytes, zero-padded to N (NF2047 if longer
 *  or not single bytes). */
export function stringAsBytes(ctx: Env["ctx"], e: Expr & { kind: "string" }, n: number): Value | undefined {
  const bytes = [...e.value].map((c) => c.codePointAt(0)!);
  if (bytes.length > n || bytes.some((b) => b > 255)) {
    ctx.report(diag("NF2047", e.span, { len: bytes.length, n, wide: bytes.some((b) => b > 255) }));
    return undefined;
  }
  return { kind: "bytes", v: [...bytes, ...new Array<number>(n - bytes.length).fill(0)] };
}
