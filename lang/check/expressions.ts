// Pass 3a: expression typing. Names resolve (locals, consts folded to literals, configs, headers
// only where proven present), literals adopt their context type, mixed integer widths widen via
// explicit `cast` nodes, `as` follows the language's rules. Calls live in calls.ts.
import type { Expr, Ident } from "../ast.js";
import type { TExpr } from "../checked.js";
import { diag } from "../diagnostics/catalogue.js";
import type { Span } from "../span.js";
import { BOOL, FLOW5, isInt, tyEq, tyName, U32, U64, U8, type Ty } from "../types.js";
import { checkCall, checkMethod } from "./calls.js";
import { coerce, castTo, intLit, isContextTyped, wider, ARITH } from "./coerce.js";
import { aliasFor, closest, describeGlobal, type Ctx, type Scope } from "./context.js";
import { headerDef, headerNames } from "./decl-headers.js";
import { resolveType } from "./resolve-types.js";
import { stringAsBytes } from "./payload.js";

export interface Env {
  ctx: Ctx;
  scope: Scope;
}

/** Types `e` as a plain value (data, not a header, optional or nothing), with an optional context type. */
export function checkValue(env: Env, e: Expr, expected?: Ty): TExpr | undefined {
  const t = checkAny(env, e, expected);
  if (!t) return undefined;
  switch (t.ty.kind) {
    case "header":
      env.ctx.report(diag("NF3019", e.span, { name: t.kind === "local" ? t.sym.name : t.ty.name }));
      return undefined;
    case "option":
      env.ctx.report(diag("NF3015", e.span, { what: callText(e) }));
      return undefined;
    case "void":
      env.ctx.report(diag("NF2033", e.span, { what: callText(e) }));
      return undefined;
    default:
      return t;
  }
}

/** Types `e` and converts it to `target` (widening, or NF2008). */
export function checkAt(env: Env, e: Expr, target: Ty): TExpr | undefined {
  const t = checkValue(env, e, target);
  return t ? coerce(env.ctx, t, target) : undefined;
}

/** Types `e` allowing headers and optional values (binding sources, field bases, statement calls). */
export function checkAny(env: Env, e: Expr, expected?: Ty): TExpr | undefined {
  const { ctx } = env;
  switch (e.kind) {
    case "int":
      if (expected && !isInt(expected) && expected.kind !== "ip4") {
        ctx.report(diag("NF2008", e.span, { expected: tyName(expected), found: "integer" }));
        return undefined;
      }
      return intLit(ctx, e, expected);
    case "string":
      if (expected?.kind === "bytes") {
        const value = stringAsBytes(ctx, e, expected.len);
        return value ? { kind: "lit", value, ty: expected, span: e.span } : undefined;
      }
      ctx.report(
        diag("NF2008", e.span, { expected: expected ? tyName(expected) : "a value", found: e.kind }),
      );
      return undefined;
    case "decimal":
    case "prefix":
      ctx.report(
        diag("NF2008", e.span, { expected: expected ? tyName(expected) : "a value", found: e.kind }),
      );
      return undefined;
    case "bool":
      return { kind: "lit", value: { kind: "bool", v: e.value }, ty: BOOL, span: e.span };
    case "ip4":
    case "ip6":
    case "mac":
      return { kind: "lit", value: { kind: "bytes", v: [...e.bytes] }, ty: { kind: e.kind }, span: e.span };
    case "name":
      return checkName(env, e.name);
    case "field":
      return checkField(env, e);
    case "index": {
      const base = checkValue(env, e.base);
      const index = checkByteIndex(env, base?.ty, e);
      return base && index ? { kind: "index", base, index, ty: U8, span: e.span } : undefined;
    }
    case "call":
      return checkCall(env, e, expected);
    case "method":
      return checkMethod(env, e, expected);
    case "binary":
      return checkBinary(env, e, expected);
    case "unary":
      return checkUnary(env, e, expected);
    case "cast":
      return checkCast(env, e);
    case "struct":
      return checkStruct(env, e);
    case "error":
      return undefined;
    default:
      return assertNeverExpr(e);
  }
}

function checkName(env: Env, id: Ident): TExpr | undefined {
  const { ctx, scope } = env;
  const local = scope.lookup(id.name);
  if (local === "poison") return undefined;
  if (local) {
    const ty = local.ty.kind === "ref" ? local.ty.inner : local.ty;
    return { kind: "local", sym: local, ty, span: id.span };
  }
  const g = ctx.globals.get(id.name);
  if (!g) {
    if (headerDef(ctx, id.name))
      return { kind: "header", header: id.name, ty: { kind: "header", name: id.name }, span: id.span };
    const all = [...scope.names(), ...ctx.globals.keys(), ...headerNames(ctx)];
    ctx.report(diag("NF2001", id.span, { name: id.name, suggestion: closest(id.name, all) }));
    return undefined;
  }
  switch (g.kind) {
    case "const":
      return g.value ? { kind: "lit", value: g.value.value, ty: g.value.ty, span: id.span } : undefined;
    case "config":
      return g.value ? { kind: "config", name: g.name, ty: g.value.ty, span: id.span } : undefined;
    case "header":
      return g.def
        ? { kind: "header", header: g.name, ty: { kind: "header", name: g.name }, span: id.span }
        : undefined;
    case "counter":
      ctx.report(diag("NF3007", id.span, { name: g.name }));
      return undefined;
    case "state":
    case "type":
      ctx.report(diag("NF2004", id.span, { name: g.name, is: describeGlobal(g), expected: "a value" }));
      return undefined;
  }
}

/** Requires header `h` proven present at this point; records it as used. */
/** The index of `bytes[N][i]` (value or assignment target): base must be bytes, index an integer. */
export function checkByteIndex(
  env: Env,
  baseTy: Ty | undefined,
  e: Expr & { kind: "index" },
): TExpr | undefined {
  const index = checkValue(env, e.index, U32);
  if (!baseTy || !index) return undefined;
  if (baseTy.kind !== "bytes") {
    env.ctx.report(diag("NF2030", e.base.span, { ty: tyName(baseTy) }));
    return undefined;
  }
  if (!isInt(index.ty)) {
    env.ctx.report(diag("NF2008", e.index.span, { expected: "u32", found: tyName(index.ty) }));
    return undefined;
  }
  if (index.kind === "lit" && index.value.kind === "int" && index.value.v >= BigInt(baseTy.len)) {
    env.ctx.report(diag("NF2050", e.index.span, { index: String(index.value.v), len: baseTy.len }));
    return undefined;
  }
  return index;
}

export function requirePresent(env: Env, header: string, span: Span): boolean {
  env.ctx.usedHeaders.add(header);
  if (env.scope.present.has(header)) return true;
  env.ctx.report(diag("NF3001", span, { header, alias: aliasFor(header) }));
  return false;
}

function checkField(env: Env, e: Expr & { kind: "field" }): TExpr | undefined {
  const { ctx } = env;
  const base = checkAny(env, e.base);
  if (!base) return undefined;
  if (base.ty.kind === "header") {
    const header = base.ty.name;
    if (base.kind === "header" && !requirePresent(env, header, e.base.span)) return undefined;
    const def = headerDef(ctx, header);
    const f = def?.fields.find((x) => x.name === e.field.name);
    if (!def || !f) {
      ctx.report(
        diag("NF2014", e.field.span, {
          field: e.field.name,
          of: header,
          suggestion: closest(e.field.name, def?.fields.map((x) => x.name) ?? []),
        }),
      );
      return undefined;
    }
    return { kind: "hfield", header, field: f.name, ty: f.ty, span: e.span };
  }
  if (base.ty.kind === "option") {
    ctx.report(diag("NF3015", e.base.span, { what: callText(e.base) }));
    return undefined;
  }
  const f = base.ty.kind === "struct" ? base.ty.fields.find((x) => x.name === e.field.name) : undefined;
  if (!f) {
    const names = base.ty.kind === "struct" ? base.ty.fields.map((x) => x.name) : [];
    ctx.report(
      diag("NF2014", e.field.span, {
        field: e.field.name,
        of: tyName(base.ty),
        suggestion: closest(e.field.name, names),
      }),
    );
    return undefined;
  }
  return { kind: "field", base, field: f.name, ty: f.ty, span: e.span };
}

/** Types two integer operands to a common type (literals adopt the other side's type). */
export function checkIntPair(
  env: Env,
  l: Expr,
  r: Expr,
  expected: Ty | undefined,
  op: string,
  opSpan: Span,
): [TExpr, TExpr] | undefined {
  let lt: TExpr | undefined;
  let rt: TExpr | undefined;
  const ctxL = isContextTyped(l);
  const ctxR = isContextTyped(r);
  if (ctxL && !ctxR) {
    rt = checkValue(env, r);
    lt = rt ? checkValue(env, l, rt.ty) : undefined;
  } else {
    lt = checkValue(env, l, ctxL && ctxR ? expected : undefined);
    rt = lt ? checkValue(env, r, ctxR ? lt.ty : undefined) : checkValue(env, r);
  }
  if (!lt || !rt) return undefined;
  for (const t of [lt, rt]) {
    if (!isInt(t.ty)) {
      env.ctx.report(diag("NF2011", opSpan, { op, ty: tyName(t.ty) }));
      return undefined;
    }
  }
  const common = wider(lt.ty as Ty & { kind: "int" }, rt.ty as Ty & { kind: "int" });
  return [tyEq(lt.ty, common) ? lt : castTo(lt, common), tyEq(rt.ty, common) ? rt : castTo(rt, common)];
}

const EQUATABLE = new Set(["bool", "ip4", "ip6", "mac", "bytes", "struct"]);

function checkBinary(env: Env, e: Expr & { kind: "binary" }, expected: Ty | undefined): TExpr | undefined {
  const { ctx } = env;
  const mk = (left: TExpr, right: TExpr, ty: Ty): TExpr => ({
    kind: "binary",
    op: e.op,
    left,
    right,
    ty,
    span: e.span,
  });
  if (e.op === "&&" || e.op === "||") {
    const l = checkValue(env, e.left);
    const r = checkValue(env, e.right);
    if (!l || !r) return undefined;
    for (const t of [l, r]) {
      if (t.ty.kind !== "bool") {
        ctx.report(diag("NF2011", e.opSpan, { op: e.op, ty: tyName(t.ty) }));
        return undefined;
      }
    }
    return mk(l, r, BOOL);
  }
  if (e.op === "==" || e.op === "!=") {
    // Type the side that carries a type first; a literal on the other side adopts it.
    const swap = isContextTyped(e.left) && !isContextTyped(e.right);
    const [a, b] = swap ? [e.right, e.left] : [e.left, e.right];
    const first = checkValue(env, a);
    if (!first) return undefined;
    if (!isInt(first.ty)) {
      if (!EQUATABLE.has(first.ty.kind)) {
        ctx.report(diag("NF2011", e.opSpan, { op: e.op, ty: tyName(first.ty) }));
        return undefined;
      }
      const other = checkAt(env, b, first.ty);
      if (!other) return undefined;
      return swap ? mk(other, first, BOOL) : mk(first, other, BOOL);
    }
    const pair = checkIntPair(env, e.left, e.right, undefined, e.op, e.opSpan);
    return pair ? mk(pair[0], pair[1], BOOL) : undefined;
  }
  if (ARITH.has(e.op)) {
    const pair = checkIntPair(env, e.left, e.right, expected, e.op, e.opSpan);
    return pair ? mk(pair[0], pair[1], pair[0].ty) : undefined;
  }
  const pair = checkIntPair(env, e.left, e.right, undefined, e.op, e.opSpan); // < <= > >=
  return pair ? mk(pair[0], pair[1], BOOL) : undefined;
}

function checkUnary(env: Env, e: Expr & { kind: "unary" }, expected: Ty | undefined): TExpr | undefined {
  const operand = checkValue(env, e.operand, e.op === "!" ? undefined : expected);
  if (!operand) return undefined;
  const ok = e.op === "!" ? operand.ty.kind === "bool" : isInt(operand.ty);
  if (!ok) {
    env.ctx.report(diag("NF2011", e.span, { op: e.op, ty: tyName(operand.ty) }));
    return undefined;
  }
  return { kind: "unary", op: e.op, operand, ty: operand.ty, span: e.span };
}

function checkCast(env: Env, e: Expr & { kind: "cast" }): TExpr | undefined {
  const to = resolveType(env.ctx, e.type);
  if (!to) return undefined;
  const inner = checkValue(
    env,
    e.expr,
    isContextTyped(e.expr) ? (isInt(to) ? U64 : to.kind === "ip4" ? U32 : undefined) : undefined,
  );
  if (!inner) return undefined;
  const from = inner.ty;
  if (tyEq(from, to)) return inner;
  const ok =
    (isInt(from) && isInt(to)) ||
    (from.kind === "ip4" && tyEq(to, U32)) ||
    (tyEq(from, U32) && to.kind === "ip4");
  if (!ok) {
    env.ctx.report(diag("NF2010", e.span, { from: tyName(from), to: tyName(to) }));
    return undefined;
  }
  return { kind: "cast", expr: inner, ty: to, span: e.span };
}

function checkStruct(env: Env, e: Expr & { kind: "struct" }): TExpr | undefined {
  const { ctx } = env;
  const ty =
    e.type.name === "flow5" ? FLOW5 : resolveType(ctx, { kind: "named", name: e.type, span: e.type.span });
  if (!ty) return undefined;
  if (ty.kind !== "struct") {
    ctx.report(
      diag("NF2004", e.type.span, { name: e.type.name, is: `\`${tyName(ty)}\``, expected: "a struct type" }),
    );
    return undefined;
  }
  const given = new Map<string, { name: Ident; value: TExpr | undefined }>();
  let ok = true;
  for (const f of e.fields) {
    const def = ty.fields.find((x) => x.name === f.name.name);
    const first = given.get(f.name.name);
    if (!def) {
      ctx.report(
        diag("NF2014", f.name.span, {
          field: f.name.name,
          of: ty.name,
          suggestion: closest(
            f.name.name,
            ty.fields.map((x) => x.name),
          ),
        }),
      );
      ok = false;
    } else if (first) {
      ctx.report(
        diag(
          "NF2002",
          f.name.span,
          { name: f.name.name },
          { secondary: [{ span: first.name.span, message: "first given here" }] },
        ),
      );
      ok = false;
    } else {
      const value = checkAt(env, f.value, def.ty);
      if (!value) ok = false;
      given.set(f.name.name, { name: f.name, value });
    }
  }
  if (!ok) return undefined;
  const missing = ty.fields.find((x) => !given.has(x.name));
  if (missing) {
    ctx.report(diag("NF2026", e.span, { field: missing.name, ty: ty.name }));
    return undefined;
  }
  return {
    kind: "struct",
    fields: ty.fields.map((x) => ({ name: x.name, value: given.get(x.name)!.value! })),
    ty,
    span: e.span,
  };
}

/** How the user wrote a call, for messages: `counts.get(...)`. */
export function callText(e: Expr): string {
  if (e.kind === "method" && e.target.kind === "name") return `${e.target.name.name}.${e.method.name}(...)`;
  if (e.kind === "call") return `${e.callee.name}(...)`;
  if (e.kind === "name") return e.name.name;
  return "this value";
}

function assertNeverExpr(e: never): never {
  throw new Error(`unexpected expression kind: ${JSON.stringify(e)}`);
}
