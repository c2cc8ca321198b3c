// Pass 3: the handler's statements, with flow-sensitive header narrowing. `let x = hdr else {..}`
// makes `hdr` (and alias `x`) present for the rest of the enclosing block; `if let x = hdr {..}`
// only inside the then-branch. Loop bounds are folded and limited here (NF4001/NF4002).
// Statements that decide control flow (verdicts, if, match, loops, break) are always emitted, even
// after an error inside them, so the verdict-path pass (flow.ts) never reports a phantom problem.
import type { Block, Cond, Expr, Ident, Stmt } from "../ast.js";
import type { LocalSym, TCond, TExpr, TPattern, TStmt } from "../checked.js";
import { diag } from "../diagnostics/catalogue.js";
import { spanJoin, type Span } from "../span.js";
import { isInt, tyName, U32, U64, type Ty } from "../types.js";
import type { Ctx, Scope } from "./context.js";
import { evalConstInt } from "./consts.js";
import { checkAny, checkAt, checkValue, type Env } from "./expressions.js";
import { checkEmit } from "./events.js";
import { checkLValue } from "./lvalues.js";
import { resolveType } from "./resolve-types.js";

export const MAX_LOOP = 1024n;
export const MAX_NESTED = 65536n;

/** Spans the flow pass needs that TStmt does not carry: the `else` block of each let-else. */
export const elseBlockSpans = new WeakMap<TStmt, Span>();

export function checkBlock(ctx: Ctx, block: Block, scope: Scope): TStmt[] {
  const out: TStmt[] = [];
  for (const s of block.stmts) {
    const t = checkStmt({ ctx, scope }, s);
    if (t) out.push(t);
  }
  return out;
}

function checkStmt(env: Env, s: Stmt): TStmt | undefined {
  const { ctx, scope } = env;
  const span = s.span;
  switch (s.kind) {
    case "let":
      return checkLet(env, s);
    case "var": {
      const ty = s.type ? resolveType(ctx, s.type) : undefined;
      const value = s.type ? (ty ? checkAt(env, s.value, ty) : undefined) : checkValue(env, s.value);
      if (!value) return poison(scope, s.name);
      const sym = ctx.newLocal(s.name, value.ty, true);
      scope.define(sym);
      return { kind: "let", sym, value, span };
    }
    case "assign":
      return checkAssign(env, s);
    case "if": {
      const thenScope = scope.child();
      const cond = checkCond(env, s.cond, thenScope);
      const then = checkBlock(ctx, s.then, thenScope);
      const els = s.else ? checkBlock(ctx, s.else, scope.child()) : [];
      return {
        kind: "if",
        cond: cond ?? {
          kind: "expr",
          expr: { kind: "lit", value: { kind: "bool", v: true }, ty: { kind: "bool" }, span: s.cond.span },
        },
        then,
        else: els,
        span,
      };
    }
    case "match":
      return checkMatch(env, s);
    case "for": {
      const lo = evalConstInt(ctx, s.lo, "a loop bound");
      const hi = evalConstInt(ctx, s.hi, "a loop bound");
      const n = lo !== undefined && hi !== undefined ? (hi > lo ? hi - lo : 0n) : 0n;
      checkLoopCount(ctx, scope, n, spanJoin(s.lo.span, s.hi.span));
      const inner = scope.loop(n === 0n ? 1n : n);
      const ty: Ty = hi !== undefined && hi > 0xffffffffn ? U64 : U32;
      const sym = ctx.newLocal(s.var, ty, false);
      inner.define(sym);
      return { kind: "for", sym, lo: lo ?? 0n, hi: hi ?? 0n, body: checkBlock(ctx, s.body, inner), span };
    }
    case "repeat": {
      const count = evalConstInt(ctx, s.count, "a `repeat` count") ?? 0n;
      checkLoopCount(ctx, scope, count, s.count.span);
      return {
        kind: "repeat",
        count,
        body: checkBlock(ctx, s.body, scope.loop(count === 0n ? 1n : count)),
        span,
      };
    }
    case "break":
      return { kind: "break", span };
    case "expr": {
      if (s.expr.kind === "error") return undefined;
      // The parser only accepts calls as statements (NF1013); anything else is a front-end bug.
      if (s.expr.kind !== "call" && s.expr.kind !== "method")
        throw new Error(`expression statement of kind \`${s.expr.kind}\``);
      const expr = checkAny(env, s.expr);
      if (expr?.ty.kind === "header") return undefined;
      return expr ? { kind: "expr", expr, span } : undefined;
    }
    case "verdict":
      return { kind: "verdict", verdict: s.verdict, span };
    case "redirect": {
      const ifindex: TExpr = checkAt(env, s.ifindex, U32) ?? {
        kind: "lit",
        value: { kind: "int", v: 0n },
        ty: U32,
        span: s.ifindex.span,
      };
      return { kind: "redirect", ifindex, span };
    }
    case "emit":
      return checkEmit(env, s);
    case "error":
      return undefined;
    default:
      return assertNeverStmt(s);
  }
}

function poison(scope: Scope, name: Ident): undefined {
  scope.poison(name.name);
  return undefined;
}

/** Binds a header or an optional value: the symbol, or undefined (reported) if `source` is neither. */
function bindSym(ctx: Ctx, name: Ident, source: TExpr, valueSpan: Span): LocalSym | undefined {
  if (source.ty.kind === "header") {
    const header = source.ty.name;
    ctx.usedHeaders.add(header);
    return ctx.newLocal(name, source.ty, false, { kind: "header", header });
  }
  if (source.ty.kind === "option")
    return ctx.newLocal(name, { kind: "ref", inner: source.ty.inner }, false, { kind: "value" });
  ctx.report(diag("NF3017", valueSpan, { ty: tyName(source.ty) }));
  return undefined;
}

function checkLet(env: Env, s: Stmt & { kind: "let" }): TStmt | undefined {
  const { ctx, scope } = env;
  const bindable = s.else !== undefined || isBindSource(env, s.value);
  if (!bindable) {
    const ty = s.type ? resolveType(ctx, s.type) : undefined;
    const value = s.type ? (ty ? checkAt(env, s.value, ty) : undefined) : checkValue(env, s.value);
    if (!value) return poison(scope, s.name);
    const sym = ctx.newLocal(s.name, value.ty, false);
    scope.define(sym);
    return { kind: "let", sym, value, span: s.span };
  }
  const source = checkAny(env, s.value);
  const elseStmts = s.else ? checkBlock(ctx, s.else, scope.child()) : [];
  if (!source) return poison(scope, s.name);
  const sym = bindSym(ctx, s.name, source, s.value.span);
  if (!sym) return poison(scope, s.name);
  if (!s.else) {
    const what = source.ty.kind === "header" ? `header \`${source.ty.name}\`` : "an optional value";
    ctx.report(diag("NF3016", s.span, { name: s.name.name, what }));
    return poison(scope, s.name);
  }
  scope.define(sym);
  if (sym.binds?.kind === "header") scope.present.add(sym.binds.header);
  const out: TStmt = { kind: "bind", sym, source, else: elseStmts, span: s.span };
  elseBlockSpans.set(out, s.else.span);
  return out;
}

/** Whether a `let` without `else` names a header or a table `get` (then it needs `else`). */
function isBindSource(env: Env, e: Expr): boolean {
  if (e.kind === "method") return e.method.name === "get";
  if (e.kind !== "name") return false;
  const local = env.scope.lookup(e.name.name);
  if (local) return local !== "poison" && local.binds?.kind === "header";
  const g = env.ctx.globals.get(e.name.name);
  return g
    ? g.kind === "header"
    : ["eth", "vlan", "vlan_inner", "ipv4", "ipv6", "tcp", "udp", "icmp", "icmpv6"].includes(e.name.name);
}

function checkCond(env: Env, c: Cond, thenScope: Scope): TCond | undefined {
  if (c.kind === "expr") {
    const expr = checkAt(env, c.expr, { kind: "bool" });
    return expr ? { kind: "expr", expr } : undefined;
  }
  const source = checkAny(env, c.value);
  if (!source) return poison(thenScope, c.name);
  const sym = bindSym(env.ctx, c.name, source, c.value.span);
  if (!sym) return poison(thenScope, c.name);
  thenScope.define(sym);
  if (sym.binds?.kind === "header") thenScope.present.add(sym.binds.header);
  return { kind: "bind", sym, source };
}

function checkAssign(env: Env, s: Stmt & { kind: "assign" }): TStmt | undefined {
  const { ctx } = env;
  const target = checkLValue(env, s.target);
  if (!target) return undefined;
  if (target.kind === "counter" && s.op !== "+=") {
    ctx.report(diag("NF3008", s.opSpan, { name: target.name, op: s.op }));
    return undefined;
  }
  if (s.op !== "=" && !isInt(target.ty)) {
    ctx.report(diag("NF2011", s.opSpan, { op: s.op, ty: tyName(target.ty) }));
    return undefined;
  }
  const value = checkAt(env, s.value, target.ty);
  return value ? { kind: "assign", target, op: s.op, value, span: s.span } : undefined;
}

function checkMatch(env: Env, s: Stmt & { kind: "match" }): TStmt {
  const { ctx, scope } = env;
  const scrutinee = checkValue(env, s.scrutinee);
  let ty: Ty = U64;
  if (scrutinee && !isInt(scrutinee.ty))
    ctx.report(
      diag(
        "NF2011",
        s.scrutinee.span,
        { op: "match", ty: tyName(scrutinee.ty) },
        { help: "`match` works on integers; compare other values with `==` in an `if`" },
      ),
    );
  else if (scrutinee) ty = scrutinee.ty;
  const arms = s.arms.map((arm) => {
    const patterns: TPattern[] = [];
    for (const p of arm.patterns) {
      if (p.kind === "wildcard") patterns.push({ kind: "wildcard" });
      else if (p.kind === "value") {
        const v = evalConstInt(ctx, p.value, "a match pattern", ty);
        if (v !== undefined) patterns.push({ kind: "value", value: v });
      } else {
        const lo = evalConstInt(ctx, p.lo, "a match pattern", ty);
        const hi = evalConstInt(ctx, p.hi, "a match pattern", ty === U64 ? U64 : { kind: "int", bits: 64 });
        if (lo === undefined || hi === undefined) continue;
        if (lo >= hi) ctx.report(diag("NF3020", p.span, { lo: String(lo), hi: String(hi) }));
        else patterns.push({ kind: "range", lo, hi });
      }
    }
    return { patterns, body: checkBlock(ctx, arm.body, scope.child()), span: arm.span };
  });
  const fallback: TExpr = { kind: "lit", value: { kind: "int", v: 0n }, ty, span: s.scrutinee.span };
  return {
    kind: "match",
    scrutinee: scrutinee && isInt(scrutinee.ty) ? scrutinee : fallback,
    arms,
    span: s.span,
  };
}

function checkLoopCount(ctx: Ctx, scope: Scope, n: bigint, span: Span): void {
  if (n > MAX_LOOP) ctx.report(diag("NF4001", span, { n: String(n), max: Number(MAX_LOOP) }));
  else if (scope.loopProduct * (n === 0n ? 1n : n) > MAX_NESTED) {
    ctx.report(diag("NF4002", span, { n: String(scope.loopProduct * n), max: Number(MAX_NESTED) }));
  }
}

function assertNeverStmt(s: never): never {
  throw new Error(`unexpected statement kind: ${JSON.stringify(s)}`);
}
