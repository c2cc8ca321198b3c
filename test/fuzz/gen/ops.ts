// Structure operation calls, built from the registry's signatures (lang/blocks): every datapath
// operation of every declared structure, arguments of the parameter types (optional ones omitted
// sometimes), results used where their type fits (u32/bool in expressions, options bound by
// if-let / let-else, void as statements).
import type { OpSig, TyRef } from "../../../lang/blocks/index.js";
import type { Ty } from "../../../lang/types.js";
import { on, type Gen, type StateG } from "./ctx.js";
import { expr, tryExpr } from "./expr.js";
import type { Scope } from "./scope.js";
import { U64, sameTy, tyLabel } from "./types.js";

export interface Call {
  s: StateG;
  op: string;
  sig: OpSig;
}

export function refTy(s: StateG, t: TyRef): Ty | undefined {
  switch (t.kind) {
    case "K":
      return s.key;
    case "V":
      return s.value;
    case "ty":
      return t.ty;
    default:
      return undefined;
  }
}

export function datapathCalls(g: Gen): Call[] {
  return g.states.flatMap((s) =>
    Object.entries(s.block.ops)
      .filter(([, sig]) => sig.datapath && !(sig.needsIntValue && s.value?.kind !== "int"))
      .map(([op, sig]) => ({ s, op, sig })),
  );
}

/** Calls whose result is a plain value of type t. */
export function stateResultsOf(g: Gen, t: Ty): Call[] {
  return datapathCalls(g).filter((c) => {
    const r = refTy(c.s, c.sig.result);
    return r !== undefined && c.sig.result.kind === "ty" && sameTy(r, t);
  });
}

/** Calls returning an option, with the type the binding gets (a value reference or a key). */
export function optionCalls(g: Gen): (Call & { binds: Ty; ref: boolean })[] {
  return datapathCalls(g).flatMap((c): (Call & { binds: Ty; ref: boolean })[] => {
    if (c.sig.result.kind === "optionV" && c.s.value) return [{ ...c, binds: c.s.value, ref: true }];
    if (c.sig.result.kind === "optionK") return [{ ...c, binds: c.s.key, ref: false }];
    return [];
  });
}

function argText(g: Gen, sc: Scope, c: Call, name: string, t: Ty, d: number): string | undefined {
  if (t.kind === "int" && t.bits === 64 && /ns/.test(name) && g.r.chance(0.7)) {
    const step = BigInt(Number(c.s.params.tick_ns ?? 1000)) * BigInt(g.r.int(0, 64));
    return g.r.chance(0.8) ? `now_ns() + ${step}` : "now_ns()";
  }
  return tryExpr(g, sc, t, d);
}

/** `s.op(args)` or undefined when an argument cannot be made here. Records coverage. */
export function callText(g: Gen, sc: Scope, c: Call, d: number): string | undefined {
  if (sc.iters > 4 && !on(g, "ops-in-loops")) return undefined; // F10 open
  const params = [...c.sig.params];
  // trailing parameters with a default may be left out
  while (params.length && params[params.length - 1]!.default !== undefined && g.r.chance(0.4)) params.pop();
  const args: string[] = [];
  for (const p of params) {
    const t = refTy(c.s, p.ty);
    if (!t) return undefined;
    const a = argText(g, sc, c, p.name, t, d + 1);
    if (a === undefined) return undefined;
    args.push(a);
  }
  g.cov.op(c.s.block.name, c.op, tyLabel(c.s.key));
  return `${c.s.name}.${c.op}(${args.join(", ")})`;
}

export { expr, U64 };
