// Pass 3b: calls. Built-in functions (now_ns, pkt_len, cpu, flow5, min, max, hash) and state
// operations, whose signatures come from the block registry (K/V substituted, defaults filled in,
// control-plane-only operations rejected).
import type { Arg, Expr } from "../ast.js";
import type { TExpr } from "../checked.js";
import type { OpSig, TyRef } from "../blocks/index.js";
import { diag } from "../diagnostics/catalogue.js";
import { isData, isInt, tyName, U32, U64, VOID, FLOW5, type Ty } from "../types.js";
import { closest, describeGlobal, listNames } from "./context.js";
import { checkAt, checkIntPair, checkValue, type Env } from "./expressions.js";
import { checkPayload, isPayloadCall } from "./payload.js";

type BuiltinName = "now_ns" | "pkt_len" | "cpu" | "flow5" | "min" | "max" | "hash" | "set_tstamp";
const ARITY: Record<BuiltinName, number> = {
  now_ns: 0,
  pkt_len: 0,
  cpu: 0,
  flow5: 0,
  min: 2,
  max: 2,
  hash: 1,
  set_tstamp: 1,
};

function positional(env: Env, args: Arg[]): boolean {
  const named = args.find((a) => a.name);
  if (named?.name) env.ctx.report(diag("NF2032", named.name.span, { name: named.name.name }));
  return !named;
}

export function checkCall(env: Env, e: Expr & { kind: "call" }, expected: Ty | undefined): TExpr | undefined {
  const { ctx } = env;
  const name = e.callee.name;
  if (!(name in ARITY)) {
    ctx.report(diag("NF2005", e.callee.span, { name, suggestion: closest(name, Object.keys(ARITY)) }));
    return undefined;
  }
  const b = name as BuiltinName;
  if (!positional(env, e.args)) return undefined;
  if (e.args.length !== ARITY[b]) {
    ctx.report(diag("NF2007", e.span, { what: b, expected: String(ARITY[b]), found: e.args.length }));
    return undefined;
  }
  const mk = (args: TExpr[], ty: Ty): TExpr => ({ kind: "builtin", name: b, args, ty, span: e.span });
  switch (b) {
    case "now_ns":
      return mk([], U64);
    case "pkt_len":
    case "cpu":
      return mk([], U32);
    case "flow5":
      for (const h of ["ipv4", "tcp", "udp"]) ctx.flowHeaders.add(h);
      if (!env.scope.present.has("ipv4")) {
        ctx.report(diag("NF3002", e.span, {}));
        return undefined;
      }
      return mk([], FLOW5);
    case "min":
    case "max": {
      const pair = checkIntPair(env, e.args[0]!.value, e.args[1]!.value, expected, b, e.callee.span);
      return pair ? mk(pair, pair[0].ty) : undefined;
    }
    case "hash": {
      const x = checkValue(env, e.args[0]!.value);
      if (!x) return undefined;
      if (!isData(x.ty)) {
        ctx.report(diag("NF2015", e.args[0]!.span, { ty: tyName(x.ty), where: "an argument of `hash`" }));
        return undefined;
      }
      return mk([x], U64);
    }
    case "set_tstamp": {
      // The packet's earliest departure time (skb->tstamp): TC only (docs/LANGUAGE.md).
      if (ctx.program.hook === "xdp") {
        ctx.report(diag("NF3025", e.callee.span, { hook: "xdp" }));
        return undefined;
      }
      const ns = checkAt(env, e.args[0]!.value, U64);
      return ns ? mk([ns], VOID) : undefined;
    }
  }
}

export function checkMethod(env: Env, e: Expr & { kind: "method" }, expected?: Ty): TExpr | undefined {
  const { ctx } = env;
  if (isPayloadCall(env, e)) return checkPayload(env, e, expected);
  const target = e.target;
  const wrong = (name: string, is: string): undefined => {
    ctx.report(
      diag(
        "NF2004",
        target.span,
        { name, is, expected: "a table or sketch" },
        { help: "operations are called on tables and sketches: `name.op(args)`" },
      ),
    );
    return undefined;
  };
  if (target.kind !== "name") return wrong("this expression", "a value");
  const tname = target.name.name;
  const local = env.scope.lookup(tname);
  if (local === "poison") return undefined;
  if (local) return wrong(tname, "a local");
  const g = ctx.globals.get(tname);
  if (!g) {
    ctx.report(diag("NF2001", target.span, { name: tname, suggestion: closest(tname, ctx.globals.keys()) }));
    return undefined;
  }
  if (g.kind !== "state") return wrong(tname, describeGlobal(g));
  const block = g.block;
  const st = g.state;
  if (!block || !st) return undefined; // the declaration already has an error
  const opName = e.method.name;
  const op: OpSig | undefined = block.ops[opName];
  if (!op) {
    const names = Object.keys(block.ops);
    ctx.report(
      diag("NF2006", e.method.span, {
        state: tname,
        kind: block.name,
        op: opName,
        ops: listNames(names),
        suggestion: closest(opName, names),
      }),
    );
    return undefined;
  }
  if (!op.datapath) {
    ctx.report(diag("NF3018", e.method.span, { state: tname, kind: block.name, op: opName }));
    return undefined;
  }
  if (op.needsIntValue && !(st.value && isInt(st.value))) {
    ctx.report(
      diag(
        "NF2011",
        e.method.span,
        { op: opName, ty: st.value ? tyName(st.value) : "none" },
        {
          help: `\`${opName}\` needs an integer value type; bind the value with \`get\` and update its fields`,
        },
      ),
    );
    return undefined;
  }
  if (!positional(env, e.args)) return undefined;
  const required = op.params.filter((p) => p.default === undefined).length;
  if (e.args.length < required || e.args.length > op.params.length) {
    const expected = required === op.params.length ? String(required) : `${required} or ${op.params.length}`;
    ctx.report(diag("NF2007", e.span, { what: `${tname}.${opName}`, expected, found: e.args.length }));
    return undefined;
  }
  const subst = (r: TyRef): Ty =>
    r.kind === "K"
      ? st.key
      : r.kind === "V"
        ? (st.value ?? VOID)
        : r.kind === "optionV"
          ? { kind: "option", inner: st.value ?? VOID }
          : r.kind === "optionK"
            ? { kind: "option", inner: st.key }
            : r.ty;
  const args: TExpr[] = [];
  let ok = true;
  op.params.forEach((p, i) => {
    const a = e.args[i];
    const ty = subst(p.ty);
    if (a) {
      const t = checkAt(env, a.value, ty);
      if (t) args.push(t);
      else ok = false;
    } else if (p.default !== undefined) {
      args.push({ kind: "lit", value: { kind: "int", v: p.default }, ty, span: e.span });
    }
  });
  if (!ok) return undefined;
  return { kind: "op", state: tname, op: opName, args, ty: subst(op.result), span: e.span };
}
