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

/** User types nested in user types (struct fields), at most this deep (NF3030). */
export const MAX_TYPE_DEPTH = 32;

/**
 * Refuses user types nested deeper than MAX_TYPE_DEPTH before `layoutType` (recursive) sees them:
 * depths are computed with an explicit stack; a type past the limit is marked failed, and the one
 * where a chain first crosses the limit is reported. Cycles are left to layoutType (NF2027).
 */
export function refuseDeepTypes(ctx: Ctx): void {
  const depth = new Map<GlobalSym, number>();
  const inner = (g: GlobalSym & { kind: "type" }): (GlobalSym & { kind: "type" })[] =>
    g.decl.fields.flatMap((f) => {
      const u = f.type.kind === "named" ? ctx.globals.get(f.type.name.name) : undefined;
      return u?.kind === "type" ? [u] : [];
    });
  for (const root of ctx.globals.values()) {
    if (root.kind !== "type" || depth.has(root)) continue;
    const stack: { g: GlobalSym & { kind: "type" }; open: boolean }[] = [{ g: root, open: false }];
    const onPath = new Set<GlobalSym>();
    while (stack.length > 0) {
      const top = stack.pop()!;
      if (top.open) {
        onPath.delete(top.g);
        depth.set(top.g, 1 + Math.max(0, ...inner(top.g).map((u) => depth.get(u) ?? 0)));
        continue;
      }
      if (depth.has(top.g) || onPath.has(top.g)) continue;
      onPath.add(top.g);
      stack.push({ g: top.g, open: true });
      for (const u of inner(top.g)) if (!depth.has(u) && !onPath.has(u)) stack.push({ g: u, open: false });
    }
  }
  for (const [g, d] of depth) {
    if (d <= MAX_TYPE_DEPTH || g.kind !== "type") continue;
    failed.add(g);
    if (d === MAX_TYPE_DEPTH + 1)
      ctx.report(diag("NF3030", g.decl.name.span, { name: g.name, limit: MAX_TYPE_DEPTH }));
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
