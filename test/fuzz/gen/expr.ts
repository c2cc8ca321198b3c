// Expressions of a wanted type. Every producer returns undefined when the type cannot be made at
// this point (e.g. a bytes[N] with no header or struct field of that length in scope), so callers
// can skip a statement instead of writing an ill-typed one.
import { sizeOf, type Ty } from "../../../lang/types.js";
import { on, type Gen } from "./ctx.js";
import { presentHeaders, type Scope } from "./scope.js";
import { callText, stateResultsOf } from "./ops.js";
import { canRead, payloadBool, payloadInt } from "./payload.js";
import { INTS, isInt, sameTy, scalarLit, tyLabel, type IntTy, type StructTy } from "./types.js";

type Maker = () => string | undefined;

/** Paths to values of type t reachable from scope: locals, fields of struct locals, header fields. */
export function paths(g: Gen, sc: Scope, t: Ty, writable = false): string[] {
  const out: string[] = [];
  const walk = (base: string, ty: Ty, canWrite: boolean, depth: number): void => {
    if (sameTy(ty, t) && (!writable || canWrite)) out.push(base);
    if (ty.kind === "struct" && depth < 3)
      for (const f of ty.fields) walk(`${base}.${f.name}`, f.ty, canWrite, depth + 1);
  };
  const noConfigs = g.inArgs > 0 && !on(g, "config-args");
  for (const v of sc.vals) if (!(noConfigs && v.config)) walk(v.name, v.ty, v.mutable || !!v.ref, 0);
  for (const { h, via } of presentHeaders(g, sc))
    for (const f of h.def.fields)
      if (sameTy(f.ty, t) && (!writable || f.writable)) out.push(`${via}.${f.name}`);
  return out;
}

/** Byte arrays in scope (for indexing): [path, length, writable]. */
function byteArrays(g: Gen, sc: Scope, writable: boolean): [string, number][] {
  const out: [string, number][] = [];
  for (const len of [1, 2, 3, 4, 5, 6, 8, 16])
    for (const p of paths(g, sc, { kind: "bytes", len }, writable)) out.push([p, len]);
  return out;
}

/** An index expression into a bytes[len]: a constant in range, or (gated) a dynamic one. */
export function indexText(g: Gen, sc: Scope, len: number): string {
  if (on(g, "bytes-dynamic-index") && g.r.chance(0.2)) {
    g.cov.feature("bytes dynamic index");
    return `(${expr(g, sc, INTS[2]!, 3)} % ${len})`;
  }
  return String(g.r.int(0, len - 1));
}

export function byteIndex(g: Gen, sc: Scope, writable: boolean): string | undefined {
  const arrs = byteArrays(g, sc, writable);
  if (!arrs.length) return undefined;
  const [p, len] = g.r.pick(arrs);
  g.cov.feature(writable ? "bytes index write" : "bytes index read");
  return `${p}[${indexText(g, sc, len)}]`;
}

function intExpr(g: Gen, sc: Scope, t: IntTy, d: number): string {
  const leaves: Maker[] = [() => scalarLit(g.r, t)];
  const ps = paths(g, sc, t);
  if (ps.length)
    leaves.push(
      () => g.r.pick(ps),
      () => g.r.pick(ps),
    );
  if (t.bits === 32) leaves.push(() => g.r.pick(["pkt_len()", "cpu()"]));
  if (t.bits === 64) leaves.push(() => "now_ns()");
  if (t.bits === 8) leaves.push(() => byteIndex(g, sc, false));
  if (canRead(sc)) leaves.push(() => payloadInt(g, t, () => expr(g, sc, INTS[2]!, 3), sc.iters));
  if (t.bits === 32 && paths(g, sc, { kind: "ip4" }).length)
    leaves.push(() => `(${g.r.pick(paths(g, sc, { kind: "ip4" }))} as u32)`);
  if (t.bits === 64 && d > 0 && g.r.chance(0.1)) leaves.push(() => deepParens(g, sc, t));
  if (t.bits === 64) leaves.push(() => inArgs(g, () => `hash(${anyValue(g, sc, d + 1)})`));
  const calls = stateResultsOf(g, t);
  if (calls.length && d < 3) leaves.push(() => callText(g, sc, g.r.pick(calls), d + 1));
  if (d >= 3 || g.r.chance(0.3)) return pickMade(g, leaves) ?? scalarLit(g.r, t)!;
  const sub = (u: Ty = t): string => expr(g, sc, u, d + 1);
  const forms: Maker[] = [
    () => `(${sub()} ${g.r.pick(["+", "-", "*", "/", "%", "&", "|", "^", "<<", ">>"])} ${sub()})`,
    () => `(${sub(g.r.pick(INTS))} as ${`u${t.bits}`})`,
    () => `${g.r.pick(["min", "max"])}(${sub()}, ${sub()})`,
    () => {
      const x = sub();
      const neg = on(g, "nested-negation") || !/^\(*-/.test(x);
      return `(${neg ? g.r.pick(["~", "-"]) : "~"}${x})`;
    },
    // mixed widths widen to the wider one (the cast anchors the left side at t)
    () =>
      `((${sub()} as u${t.bits}) ${g.r.pick(["+", "-", "*", "&", "|", "^"])} ${sub(g.r.pick(INTS.filter((u) => (u as IntTy).bits <= t.bits)))})`,
  ];
  return pickMade(g, forms) ?? scalarLit(g.r, t)!;
}

/** Deep nesting: a long chain of parentheses and unary operators around a u64 value (gated). */
function deepParens(g: Gen, sc: Scope, t: IntTy): string | undefined {
  if (!on(g, "deep-nesting")) return undefined;
  const n = g.r.int(8, 24);
  g.cov.feature("deep parentheses");
  let e = expr(g, sc, t, 3);
  for (let i = 0; i < n; i++) e = g.r.chance(0.5) ? `(${e})` : g.r.chance(0.5) ? `(~${e})` : `(${e} + ${i})`;
  return e;
}

function boolExpr(g: Gen, sc: Scope, d: number): string {
  const leaves: Maker[] = [() => (g.r.chance(0.5) ? "true" : "false")];
  const ps = paths(g, sc, { kind: "bool" });
  if (ps.length) leaves.push(() => g.r.pick(ps));
  if (canRead(sc)) leaves.push(() => payloadBool(g, () => expr(g, sc, INTS[2]!, 3)));
  const calls = stateResultsOf(g, { kind: "bool" });
  if (calls.length && d < 3)
    leaves.push(
      () => callText(g, sc, g.r.pick(calls), d + 1),
      () => callText(g, sc, g.r.pick(calls), d + 1),
    );
  const cmp = (): string => {
    const t = g.r.pick(INTS);
    return `(${expr(g, sc, t, d + 1)}) ${g.r.pick(["==", "!=", "<", "<=", ">", ">="])} (${expr(g, sc, t, d + 1)})`;
  };
  leaves.push(cmp, cmp);
  const eq = (): string | undefined => {
    // == / != on non-integers: addresses, bool, byte arrays, structs
    const t = pickTyInScope(g, sc);
    if (!t) return undefined;
    const a = tryExpr(g, sc, t, d + 1);
    const b = tryExpr(g, sc, t, d + 1);
    if (a === undefined || b === undefined) return undefined;
    g.cov.feature(`== on ${tyLabel(t)}`);
    return `(${a}) ${g.r.pick(["==", "!="])} (${b})`;
  };
  leaves.push(eq);
  if (d >= 3 || g.r.chance(0.35)) return pickMade(g, leaves) ?? "true";
  const forms: Maker[] = [
    () => `!(${boolExpr(g, sc, d + 1)})`,
    () => `(${boolExpr(g, sc, d + 1)}) ${g.r.pick(["&&", "||"])} (${boolExpr(g, sc, d + 1)})`,
    () => `${boolExpr(g, sc, d + 1)} ${g.r.pick(["&&", "||"])} ${boolExpr(g, sc, d + 1)}`,
  ];
  return pickMade(g, forms) ?? "true";
}

/** A type that has some value in scope (for == and hash). */
function pickTyInScope(g: Gen, sc: Scope): Ty | undefined {
  const tys: Ty[] = [
    ...sc.vals.map((v) => v.ty),
    ...presentHeaders(g, sc).flatMap(({ h }) => h.def.fields.map((f) => f.ty)),
  ];
  return tys.length ? g.r.pick(tys) : undefined;
}

function anyValue(g: Gen, sc: Scope, d: number): string {
  const t = pickTyInScope(g, sc);
  return (t && tryExpr(g, sc, t, d)) ?? expr(g, sc, g.r.pick(INTS), d);
}

export function inArgs<T>(g: Gen, f: () => T): T {
  g.inArgs++;
  try {
    return f();
  } finally {
    g.inArgs--;
  }
}

function pickMade(g: Gen, makers: Maker[]): string | undefined {
  const order = [...makers];
  for (let i = 0; i < 4 && order.length; i++) {
    const j = g.r.int(0, order.length - 1);
    const s = order[j]!();
    if (s !== undefined) return s;
    order.splice(j, 1);
  }
  return undefined;
}

/** An expression of type t, or undefined when none can be made here. */
export function tryExpr(g: Gen, sc: Scope, t: Ty, d = 0): string | undefined {
  switch (t.kind) {
    case "int":
      return intExpr(g, sc, t, d);
    case "bool":
      return boolExpr(g, sc, d);
    case "ip4":
    case "ip6":
    case "mac": {
      const ps = paths(g, sc, t);
      const makers: Maker[] = [() => scalarLit(g.r, t), () => (ps.length ? g.r.pick(ps) : undefined)];
      if (t.kind === "ip4" && d < 3) makers.push(() => `((${expr(g, sc, INTS[2]!, d + 1)}) as u32 as ip4)`);
      return pickMade(g, makers) ?? scalarLit(g.r, t);
    }
    case "bytes": {
      const ps = paths(g, sc, t);
      return ps.length ? g.r.pick(ps) : undefined;
    }
    case "struct": {
      const ps = paths(g, sc, t);
      if (ps.length && g.r.chance(0.5)) return g.r.pick(ps);
      if (t.name === "flow5" && sc.present.has("ipv4") && g.r.chance(0.5)) return "flow5()";
      return structLit(g, sc, t, d);
    }
    default:
      return undefined;
  }
}

export function structLit(g: Gen, sc: Scope, t: StructTy, d: number): string | undefined {
  const parts: string[] = [];
  for (const f of t.fields) {
    const v = tryExpr(g, sc, f.ty, d + 1);
    if (v === undefined) return undefined;
    parts.push(`${f.name}: ${v}`);
  }
  g.cov.feature(`struct literal ${t.name === "flow5" ? "flow5" : "user"}`);
  return `${t.name} { ${parts.join(", ")} }`;
}

/** An expression that must exist (ints and bool always can). */
export function expr(g: Gen, sc: Scope, t: Ty, d = 0): string {
  const s = tryExpr(g, sc, t, d);
  if (s === undefined) throw new Error(`no expression of ${t.kind}`);
  return s;
}

export const canMake = (g: Gen, sc: Scope, t: Ty): boolean =>
  t.kind !== "bytes" || paths(g, sc, t).length > 0 || sizeOf(t) < 0;
export { isInt };
