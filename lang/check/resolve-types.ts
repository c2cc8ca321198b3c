// Type expressions -> semantic types: built-in names, `bytes[N]` and user `type` structs (laid out
// lazily, so declaration order does not matter; cycles are NF2027).
import type { TypeExpr } from "../ast.js";
import { diag } from "../diagnostics/catalogue.js";
import { BOOL, FLOW5, IP4, IP6, MAC, structTy, U16, U32, U64, U8, type Ty } from "../types.js";
import { closest, describeGlobal, duplicateName, type Ctx, type GlobalSym } from "./context.js";
import { evalConstInt } from "./consts.js";

export const BUILTIN_TYPES: Readonly<Record<string, Ty>> = {
  u8: U8,
  u16: U16,
  u32: U32,
  u64: U64,
  bool: BOOL,
  ip4: IP4,
  ip6: IP6,
  mac: MAC,
  flow5: FLOW5,
};

/** Longest `bytes[N]`. */
export const MAX_BYTES_LEN = 65535;

export function resolveType(ctx: Ctx, t: TypeExpr): Ty | undefined {
  switch (t.kind) {
    case "bytes": {
      const n = evalConstInt(ctx, t.len, "the length of `bytes[N]`");
      if (n === undefined) return undefined;
      if (n < 1n || n > BigInt(MAX_BYTES_LEN)) {
        ctx.report(diag("NF4007", t.len.span, { n: String(n), max: MAX_BYTES_LEN }));
        return undefined;
      }
      return { kind: "bytes", len: Number(n) };
    }
    case "named": {
      const name = t.name.name;
      const b = BUILTIN_TYPES[name];
      if (b) return b;
      const g = ctx.globals.get(name);
      if (g?.kind === "type") return layoutType(ctx, g);
      if (g) {
        ctx.report(diag("NF2004", t.name.span, { name, is: describeGlobal(g), expected: "a type" }));
        return undefined;
      }
      const userTypes = [...ctx.globals.values()].filter((x) => x.kind === "type").map((x) => x.name);
      ctx.report(
        diag("NF2003", t.name.span, {
          name,
          suggestion: closest(name, [...Object.keys(BUILTIN_TYPES), ...userTypes]),
        }),
      );
      return undefined;
    }
  }
}

const inProgress = new WeakSet<GlobalSym>();
const failed = new WeakSet<GlobalSym>();

/** Lays out a user struct type once (C layout via structTy); undefined after an error. */
export function layoutType(ctx: Ctx, g: GlobalSym & { kind: "type" }): (Ty & { kind: "struct" }) | undefined {
  if (g.ty) return g.ty;
  if (failed.has(g)) return undefined;
  if (inProgress.has(g)) {
    ctx.report(diag("NF2027", g.decl.name.span, { name: g.name }));
    failed.add(g);
    return undefined;
  }
  inProgress.add(g);
  const fields: { name: string; ty: Ty }[] = [];
  const seen = new Map<string, (typeof g.decl.fields)[number]>();
  let ok = true;
  for (const f of g.decl.fields) {
    const first = seen.get(f.name.name);
    if (first) {
      duplicateName(ctx, f.name.name, f.name.span, first.name.span);
      ok = false;
      continue;
    }
    seen.set(f.name.name, f);
    const ty = resolveType(ctx, f.type);
    if (!ty) ok = false;
    else fields.push({ name: f.name.name, ty });
  }
  inProgress.delete(g);
  if (!ok) {
    failed.add(g);
    return undefined;
  }
  g.ty = structTy(g.name, fields);
  return g.ty;
}
