// Constant values in user tests (config values, entry keys and values, builder fields, query
// keys): literals, consts and struct literals (e.g. `flow5 { src: 10.0.0.1, ... }`), checked
// against a target type with the usual codes (NF2008 / NF2009 / NF2014 / NF2026).
import type { Expr } from "../ast.js";
import type { Value } from "../checked.js";
import { diag } from "../diagnostics/catalogue.js";
import { tyName, type Ty } from "../types.js";
import { closest, type Ctx } from "./context.js";
import { evalConst } from "./consts.js";
import { fitValue } from "./decl-consts.js";
import { stringAsBytes } from "./payload.js";

/** `e` as a constant of type `ty`, or undefined after reporting. */
export function constAt(ctx: Ctx, e: Expr, ty: Ty): Value | undefined {
  if (e.kind === "struct") {
    if (ty.kind !== "struct" || ty.name !== e.type.name) {
      ctx.report(diag("NF2008", e.span, { expected: tyName(ty), found: e.type.name }));
      return undefined;
    }
    const fields: Record<string, Value> = {};
    let ok = true;
    for (const f of e.fields) {
      const ft = ty.fields.find((x) => x.name === f.name.name);
      if (!ft) {
        const suggestion = closest(
          f.name.name,
          ty.fields.map((x) => x.name),
        );
        ctx.report(
          diag("NF2014", f.name.span, {
            field: f.name.name,
            of: ty.name,
            ...(suggestion !== undefined ? { suggestion } : {}),
          }),
        );
        ok = false;
        continue;
      }
      if (f.name.name in fields) {
        ctx.report(diag("NF2002", f.name.span, { name: f.name.name }));
        ok = false;
        continue;
      }
      const v = constAt(ctx, f.value, ft.ty);
      if (v) fields[f.name.name] = v;
      else ok = false;
    }
    for (const ft of ty.fields)
      if (ok && !(ft.name in fields)) {
        ctx.report(diag("NF2026", e.span, { field: ft.name, ty: ty.name }));
        ok = false;
      }
    return ok ? { kind: "struct", fields } : undefined;
  }
  if (ty.kind === "struct") {
    ctx.report(diag("NF2008", e.span, { expected: tyName(ty), found: "a non-struct value" }));
    return undefined;
  }
  if (e.kind === "string" && ty.kind === "bytes") return stringAsBytes(ctx, e, ty.len);
  const r = evalConst(ctx, e, "a test value");
  return r ? fitValue(ctx, e, r.value, r.ty, ty) : undefined;
}

/** An lpm entry key `10.0.0.0/8` of the table's address family. */
export function prefixAt(ctx: Ctx, e: Expr, addrTy: Ty): { value: Value; len: number } | undefined {
  if (e.kind !== "prefix") {
    ctx.report(diag("NF2008", e.span, { expected: `a prefix of ${tyName(addrTy)}`, found: e.kind }));
    return undefined;
  }
  const fam = e.addr.kind === "ip4" ? "ip4" : e.addr.kind === "ip6" ? "ip6" : undefined;
  if (fam !== addrTy.kind) {
    ctx.report(
      diag("NF2008", e.span, {
        expected: `a prefix of ${tyName(addrTy)}`,
        found: `a prefix of ${fam ?? "?"}`,
      }),
    );
    return undefined;
  }
  const v = constAt(ctx, e.addr, addrTy);
  return v ? { value: v, len: e.len } : undefined;
}
