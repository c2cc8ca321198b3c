// `const` and `config` declarations: constants are folded to values lazily (any order, cycles are
// NF2027); config defaults must be literals of their type.
import type { Expr } from "../ast.js";
import type { ConfigDecl, ConstDecl, Value } from "../checked.js";
import { diag } from "../diagnostics/catalogue.js";
import { tyEq, tyName, type Ty } from "../types.js";
import type { Ctx, GlobalSym } from "./context.js";
import { evalConst, maxOf } from "./consts.js";
import { resolveType } from "./resolve-types.js";

const inProgress = new WeakSet<GlobalSym>();
const failed = new WeakSet<GlobalSym>();

export function resolveConst(ctx: Ctx, g: GlobalSym & { kind: "const" }): ConstDecl | undefined {
  if (g.value) return g.value;
  if (failed.has(g)) return undefined;
  if (inProgress.has(g)) {
    ctx.report(diag("NF2027", g.decl.name.span, { name: g.name }));
    failed.add(g);
    return undefined;
  }
  inProgress.add(g);
  const ty = resolveType(ctx, g.decl.type);
  const r = ty ? evalConst(ctx, g.decl.value, `the value of const \`${g.name}\``) : undefined;
  inProgress.delete(g);
  const value = ty && r ? fitValue(ctx, g.decl.value, r.value, r.ty, ty) : undefined;
  if (!ty || !value) {
    failed.add(g);
    return undefined;
  }
  g.value = { name: g.name, ty, value, span: g.decl.name.span };
  return g.value;
}

/** Checks a constant value against the declared type: ints must fit, other kinds must match. */
export function fitValue(ctx: Ctx, e: Expr, v: Value, vty: Ty | undefined, ty: Ty): Value | undefined {
  if (v.kind === "int" && ty.kind === "int") {
    if (v.v < 0n || v.v > maxOf(ty.bits)) {
      ctx.report(
        diag("NF2009", e.span, {
          text: e.kind === "int" ? e.text : String(v.v),
          ty: tyName(ty),
          max: String(maxOf(ty.bits)),
        }),
      );
      return undefined;
    }
    return v;
  }
  if (vty && tyEq(vty, ty)) return v;
  ctx.report(diag("NF2008", e.span, { expected: tyName(ty), found: vty ? tyName(vty) : "integer" }));
  return undefined;
}

const LITERAL_KINDS = new Set(["int", "bool", "ip4", "ip6", "mac"]);

export function resolveConfig(ctx: Ctx, g: GlobalSym & { kind: "config" }): ConfigDecl | undefined {
  if (g.value) return g.value;
  const ty = resolveType(ctx, g.decl.type);
  if (!ty) return undefined;
  if (!LITERAL_KINDS.has(g.decl.value.kind)) {
    if (g.decl.value.kind !== "error") ctx.report(diag("NF2013", g.decl.value.span, { name: g.name }));
    return undefined;
  }
  if (ty.kind === "struct" || ty.kind === "bytes") {
    ctx.report(
      diag(
        "NF2015",
        g.decl.type.span,
        { ty: tyName(ty), where: "a config type" },
        { help: "configs are integers, `bool`, `ip4`, `ip6` or `mac`" },
      ),
    );
    return undefined;
  }
  const r = evalConst(ctx, g.decl.value, `the value of config \`${g.name}\``);
  const v = r ? fitValue(ctx, g.decl.value, r.value, r.ty, ty) : undefined;
  if (!v) return undefined;
  g.value = { name: g.name, ty, default: v, span: g.decl.name.span };
  return g.value;
}
