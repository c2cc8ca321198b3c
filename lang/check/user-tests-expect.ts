// Test expectations → TestExpr: bool expressions over literals, consts, counters (read as the
// total over CPUs, allowed only here) and state queries `t.contains(k)`, `t.get(k)` (then `== v`
// or `.field`), `s.estimate(k)`, `b.contains(k)`; on the plug-in kinds (cuckoo, ordered, queues,
// newer sketches) any operation that does not change the state. Anything else is NF3023.
import type { Expr } from "../ast.js";
import type { StateDecl, TestExpr, Value } from "../checked.js";
import { stringAsBytes } from "./payload.js";
import { diag } from "../diagnostics/catalogue.js";
import { findBlock, type TyRef } from "../blocks/index.js";
import { BOOL, isInt, tyEq, tyName, U32, U64, VOID, type Ty } from "../types.js";
import { closest, describeGlobal, type Ctx } from "./context.js";
import { evalConst } from "./consts.js";
import { fitValue } from "./decl-consts.js";
import { constAt } from "./user-tests-values.js";

const CMP = new Set(["==", "!=", "<", "<=", ">", ">="]);

export function checkExpect(ctx: Ctx, e: Expr, states: readonly StateDecl[]): TestExpr | undefined {
  const t = te(ctx, e, states, BOOL);
  if (t && t.ty.kind !== "bool") {
    ctx.report(diag("NF2008", e.span, { expected: "bool", found: tyName(t.ty) }));
    return undefined;
  }
  return t;
}

function lit(ctx: Ctx, e: Expr, expected: Ty | undefined): TestExpr | undefined {
  const r = evalConst(ctx, e, "a test value");
  if (!r) return undefined;
  const ty =
    r.ty ??
    (expected && (isInt(expected) || expected.kind === "ip4") && r.value.kind === "int" ? expected : U64);
  const v = fitValue(ctx, e, r.value, r.ty, ty);
  return v ? { kind: "lit", value: v, ty, span: e.span } : undefined;
}

function te(ctx: Ctx, e: Expr, states: readonly StateDecl[], expected?: Ty): TestExpr | undefined {
  switch (e.kind) {
    case "int":
    case "bool":
    case "ip4":
    case "ip6":
    case "mac":
    case "cast":
      return lit(ctx, e, expected);
    case "name": {
      const g = ctx.globals.get(e.name.name);
      if (!g) {
        const suggestion = closest(e.name.name, ctx.globals.keys());
        ctx.report(diag("NF2001", e.name.span, { name: e.name.name, ...(suggestion ? { suggestion } : {}) }));
        return undefined;
      }
      if (g.kind === "counter") return { kind: "counter", name: g.name, ty: U64, span: e.span };
      if (g.kind === "const") return lit(ctx, e, expected);
      ctx.report(
        diag("NF2004", e.span, { name: g.name, is: describeGlobal(g), expected: "a counter or a constant" }),
      );
      return undefined;
    }
    case "method":
      return query(ctx, e, states);
    case "field": {
      const base = te(ctx, e.base, states);
      if (!base) return undefined;
      const f = base.ty.kind === "struct" ? base.ty.fields.find((x) => x.name === e.field.name) : undefined;
      if (!f) {
        ctx.report(diag("NF2014", e.field.span, { field: e.field.name, of: tyName(base.ty) }));
        return undefined;
      }
      return { kind: "field", base, field: f.name, ty: f.ty, span: e.span };
    }
    case "unary": {
      const operand = te(ctx, e.operand, states, e.op === "!" ? BOOL : expected);
      if (!operand) return undefined;
      const okTy = e.op === "!" ? operand.ty.kind === "bool" : isInt(operand.ty);
      if (!okTy) {
        ctx.report(diag("NF2011", e.span, { op: e.op, ty: tyName(operand.ty) }));
        return undefined;
      }
      return { kind: "unary", op: e.op, operand, ty: operand.ty, span: e.span };
    }
    case "binary":
      return binary(ctx, e, states);
    case "call":
      ctx.report(diag("NF3023", e.span, { what: `\`${e.callee.name}()\`` }));
      return undefined;
    case "string": {
      // a `bytes[N]` compared with a string: its bytes, zero-padded (as in the handler)
      if (expected?.kind !== "bytes") {
        ctx.report(diag("NF3023", e.span, { what: "this string" }));
        return undefined;
      }
      const value = stringAsBytes(ctx, e, expected.len);
      return value ? { kind: "lit", value, ty: expected, span: e.span } : undefined;
    }
    case "struct":
    case "decimal":
    case "prefix":
    case "index":
      ctx.report(diag("NF3023", e.span, { what: `this ${e.kind === "struct" ? "struct literal" : e.kind}` }));
      return undefined;
    case "error":
      return undefined;
  }
}

function binary(ctx: Ctx, e: Expr & { kind: "binary" }, states: readonly StateDecl[]): TestExpr | undefined {
  const logical = e.op === "&&" || e.op === "||";
  // An integer literal adopts the other side's type, so check the other side first.
  const leftFirst = !(e.left.kind === "int" && e.right.kind !== "int");
  let left: TestExpr | undefined;
  let right: TestExpr | undefined;
  if (leftFirst) {
    left = te(ctx, e.left, states, logical ? BOOL : undefined);
    right = te(ctx, e.right, states, logical ? BOOL : left?.ty);
  } else {
    right = te(ctx, e.right, states);
    left = te(ctx, e.left, states, right?.ty);
  }
  if (!left || !right) return undefined;
  const ty = (a: Ty): Ty => (a.kind === "int" ? { kind: "int", bits: 64 } : a);
  if (logical) {
    if (left.ty.kind !== "bool" || right.ty.kind !== "bool") {
      ctx.report(
        diag("NF2011", e.opSpan, { op: e.op, ty: tyName(left.ty.kind !== "bool" ? left.ty : right.ty) }),
      );
      return undefined;
    }
    return { kind: "binary", op: e.op, left, right, ty: BOOL, span: e.span };
  }
  const ints = isInt(left.ty) && isInt(right.ty);
  if (!ints && !tyEq(ty(left.ty), ty(right.ty))) {
    ctx.report(diag("NF2008", e.right.span, { expected: tyName(left.ty), found: tyName(right.ty) }));
    return undefined;
  }
  if (CMP.has(e.op)) {
    if (!ints && e.op !== "==" && e.op !== "!=") {
      ctx.report(diag("NF2011", e.opSpan, { op: e.op, ty: tyName(left.ty) }));
      return undefined;
    }
    return { kind: "binary", op: e.op, left, right, ty: BOOL, span: e.span };
  }
  if (!ints) {
    ctx.report(diag("NF2011", e.opSpan, { op: e.op, ty: tyName(left.ty) }));
    return undefined;
  }
  const bits = Math.max((left.ty as { bits: number }).bits, (right.ty as { bits: number }).bits) as
    8 | 16 | 32 | 64;
  return { kind: "binary", op: e.op, left, right, ty: { kind: "int", bits }, span: e.span };
}

function query(ctx: Ctx, e: Expr & { kind: "method" }, states: readonly StateDecl[]): TestExpr | undefined {
  const target = e.target.kind === "name" ? e.target.name.name : undefined;
  const g = target !== undefined ? ctx.globals.get(target) : undefined;
  const s = states.find((x) => x.name === target);
  if (!g || g.kind !== "state" || !s) {
    if (target !== undefined && !g) {
      ctx.report(diag("NF2001", e.target.span, { name: target }));
      return undefined;
    }
    ctx.report(diag("NF3023", e.span, { what: "this method call" }));
    return undefined;
  }
  const op = e.method.name;
  if (!BUILTIN_QUERIES.has(s.kind)) return readQuery(ctx, e, s);
  const allowed =
    s.family === "table"
      ? ["contains", "get"]
      : s.kind === "count_min"
        ? ["estimate"]
        : s.kind === "bloom"
          ? ["contains"]
          : [];
  if (!allowed.includes(op)) {
    ctx.report(diag("NF3023", e.method.span, { what: `\`${s.name}.${op}\`` }));
    return undefined;
  }
  if (e.args.length !== 1 || e.args[0]!.name) {
    ctx.report(diag("NF2007", e.span, { what: `\`${s.name}.${op}\``, expected: "1", found: e.args.length }));
    return undefined;
  }
  const key = constAt(ctx, e.args[0]!.value, s.key);
  if (!key) return undefined;
  const ty = op === "get" ? s.value! : op === "estimate" ? U32 : BOOL;
  return { kind: "query", state: s.name, op: op as "contains" | "get" | "estimate", key, ty, span: e.span };
}

/** Kinds whose `expect` queries are the fixed `contains`/`get`/`estimate` above. */
const BUILTIN_QUERIES = new Set(["array", "hash", "lru", "lpm", "count_min", "bloom"]);

/** Other kinds: any operation that reads without changing the state, with constant arguments. */
function readQuery(ctx: Ctx, e: Expr & { kind: "method" }, s: StateDecl): TestExpr | undefined {
  const op = e.method.name;
  const sig = findBlock(s.kind)?.ops[op];
  if (!sig || sig.mutates || !sig.datapath) {
    ctx.report(diag("NF3023", e.method.span, { what: `\`${s.name}.${op}\`` }));
    return undefined;
  }
  const tyOf = (r: TyRef): Ty =>
    r.kind === "K"
      ? s.key
      : r.kind === "V"
        ? (s.value ?? VOID)
        : r.kind === "optionV"
          ? (s.value ?? VOID)
          : r.kind === "optionK"
            ? s.key
            : r.ty;
  const required = sig.params.filter((p) => p.default === undefined).length;
  if (e.args.length < required || e.args.length > sig.params.length || e.args.some((a) => a.name)) {
    const expected =
      required === sig.params.length ? String(required) : `${required} or ${sig.params.length}`;
    ctx.report(diag("NF2007", e.span, { what: `\`${s.name}.${op}\``, expected, found: e.args.length }));
    return undefined;
  }
  const args: { ty: Ty; value: Value }[] = [];
  for (const [i, p] of sig.params.entries()) {
    const ty = tyOf(p.ty);
    const a = e.args[i];
    if (!a) {
      args.push({ ty, value: { kind: "int", v: p.default! } });
      continue;
    }
    const value = constAt(ctx, a.value, ty);
    if (!value) return undefined;
    args.push({ ty, value });
  }
  return { kind: "read", state: s.name, op, args, ty: tyOf(sig.result), span: e.span };
}
