// Pass 3c: assignment targets. Only `var` locals, writable fields of proven-present headers, fields
// of bound table values (and the bound value itself), bytes of such places, and counters (`+=`).
import type { Expr } from "../ast.js";
import type { LValue } from "../checked.js";
import { diag } from "../diagnostics/catalogue.js";
import { tyName, U8 } from "../types.js";
import { closest } from "./context.js";
import { headerDef, headerNames } from "./decl-headers.js";
import { callText, checkByteIndex, requirePresent, type Env } from "./expressions.js";

export function checkLValue(env: Env, e: Expr): LValue | undefined {
  const { ctx, scope } = env;
  switch (e.kind) {
    case "name": {
      const name = e.name.name;
      const local = scope.lookup(name);
      if (local === "poison") return undefined;
      if (local) {
        if (local.binds?.kind === "header") {
          ctx.report(
            diag(
              "NF3011",
              e.span,
              { name, what: "header" },
              { help: `assign to one of its fields, e.g. \`${name}.<field> = ...\`` },
            ),
          );
          return undefined;
        }
        if (local.ty.kind === "ref") return { kind: "local", sym: local, ty: local.ty.inner, span: e.span };
        if (!local.mutable) {
          ctx.report(
            diag(
              "NF3009",
              e.span,
              { name, what: "immutable binding" },
              { secondary: [{ span: local.span, message: "declared here" }] },
            ),
          );
          return undefined;
        }
        return { kind: "local", sym: local, ty: local.ty, span: e.span };
      }
      const g = ctx.globals.get(name);
      if (!g) {
        if (headerDef(ctx, name)) {
          ctx.report(
            diag(
              "NF3011",
              e.span,
              { name, what: "header" },
              { help: `assign to one of its fields, e.g. \`${name}.<field> = ...\`` },
            ),
          );
          return undefined;
        }
        ctx.report(
          diag("NF2001", e.name.span, {
            name,
            suggestion: closest(name, [...scope.names(), ...ctx.globals.keys(), ...headerNames(ctx)]),
          }),
        );
        return undefined;
      }
      if (g.kind === "counter") return { kind: "counter", name, ty: { kind: "int", bits: 64 }, span: e.span };
      const what = g.kind === "const" ? "constant" : g.kind === "state" ? g.decl.family : g.kind;
      ctx.report(diag("NF3011", e.span, { name, what }));
      return undefined;
    }
    case "field": {
      const headerBase = headerOf(env, e.base);
      if (headerBase === null) return undefined;
      if (headerBase !== undefined) {
        const def = headerDef(ctx, headerBase);
        const f = def?.fields.find((x) => x.name === e.field.name);
        if (!def || !f) {
          ctx.report(
            diag("NF2014", e.field.span, {
              field: e.field.name,
              of: headerBase,
              suggestion: closest(e.field.name, def?.fields.map((x) => x.name) ?? []),
            }),
          );
          return undefined;
        }
        if (!f.writable) {
          ctx.report(diag("NF3010", e.field.span, { header: headerBase, field: f.name }));
          return undefined;
        }
        return { kind: "hfield", header: headerBase, field: f.name, ty: f.ty, span: e.span };
      }
      const base = checkLValue(env, e.base);
      if (!base) return undefined;
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
    case "index": {
      const base = checkLValue(env, e.base);
      const index = checkByteIndex(env, base?.ty, e);
      return base && index ? { kind: "index", base, index, ty: U8, span: e.span } : undefined;
    }
    default:
      ctx.report(
        diag(
          "NF3011",
          e.span,
          { name: callText(e), what: "the value" },
          { help: "assign to a `var`, a header field or a field of a bound table value" },
        ),
      );
      return undefined;
  }
}

/**
 * If `e` names a header (directly or through a `let` alias), its name — after checking it is
 * present; null after an error; undefined when `e` is not a header.
 */
function headerOf(env: Env, e: Expr): string | null | undefined {
  if (e.kind !== "name") return undefined;
  const local = env.scope.lookup(e.name.name);
  if (local === "poison") return null;
  if (local) return local.binds?.kind === "header" ? local.binds.header : undefined;
  if (env.ctx.globals.has(e.name.name) || !headerDef(env.ctx, e.name.name)) {
    const g = env.ctx.globals.get(e.name.name);
    if (g?.kind !== "header") return undefined;
  }
  return requirePresent(env, e.name.name, e.span) ? e.name.name : null;
}
