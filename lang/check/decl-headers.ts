// User `header` declarations (wire layout: fields in order, big-endian, byte-aligned, no padding)
// and `parse A.f == v => H` extensions.
import type { Decl } from "../ast.js";
import type { ParseExt } from "../checked.js";
import { diag } from "../diagnostics/catalogue.js";
import { builtinHeader, type HeaderDef, type HeaderField } from "../headers.js";
import { sizeOf, tyName } from "../types.js";
import { closest, describeGlobal, duplicateName, type Ctx, type GlobalSym } from "./context.js";
import { evalConst } from "./consts.js";
import { fitValue } from "./decl-consts.js";
import { resolveType } from "./resolve-types.js";

const WIRE_KINDS = new Set(["int", "ip4", "ip6", "mac", "bytes"]);

export function layoutHeader(ctx: Ctx, g: GlobalSym & { kind: "header" }): HeaderDef | undefined {
  if (g.def) return g.def;
  const fields: HeaderField[] = [];
  const firstSpan = new Map<string, (typeof g.decl.fields)[number]>();
  let offset = 0;
  let ok = true;
  for (const f of g.decl.fields) {
    const first = firstSpan.get(f.name.name);
    if (first) {
      duplicateName(ctx, f.name.name, f.name.span, first.name.span);
      ok = false;
      continue;
    }
    firstSpan.set(f.name.name, f);
    const ty = resolveType(ctx, f.type);
    if (!ty) {
      ok = false;
      continue;
    }
    if (!WIRE_KINDS.has(ty.kind)) {
      ctx.report(diag("NF2016", f.type.span, { field: f.name.name, ty: tyName(ty) }));
      ok = false;
      continue;
    }
    fields.push({ name: f.name.name, ty, offset, writable: true, csum: "none" });
    offset += sizeOf(ty);
  }
  if (!ok) return undefined;
  g.def = { name: g.name, size: offset, fields, builtin: false };
  return g.def;
}

/** A header definition by name: built-in or user (laid out on demand). */
export function headerDef(ctx: Ctx, name: string): HeaderDef | undefined {
  const b = builtinHeader(name);
  if (b) return b;
  const g = ctx.globals.get(name);
  return g?.kind === "header" ? layoutHeader(ctx, g) : undefined;
}

export function checkParseExt(ctx: Ctx, d: Decl & { kind: "parse" }): ParseExt | undefined {
  const after = headerDef(ctx, d.after.name);
  if (!after) {
    const g = ctx.globals.get(d.after.name);
    if (g)
      ctx.report(diag("NF2004", d.after.span, { name: g.name, is: describeGlobal(g), expected: "a header" }));
    else
      ctx.report(
        diag("NF2001", d.after.span, {
          name: d.after.name,
          suggestion: closest(d.after.name, headerNames(ctx)),
        }),
      );
    return undefined;
  }
  const field = after.fields.find((f) => f.name === d.field.name);
  if (!field) {
    ctx.report(
      diag("NF2014", d.field.span, {
        field: d.field.name,
        of: after.name,
        suggestion: closest(
          d.field.name,
          after.fields.map((f) => f.name),
        ),
      }),
    );
    return undefined;
  }
  if (builtinHeader(d.header.name)) {
    ctx.report(diag("NF2031", d.header.span, { name: d.header.name }));
    return undefined;
  }
  const target = ctx.globals.get(d.header.name);
  if (!target || target.kind !== "header") {
    if (target)
      ctx.report(
        diag("NF2004", d.header.span, {
          name: target.name,
          is: describeGlobal(target),
          expected: "a header",
        }),
      );
    else
      ctx.report(
        diag("NF2001", d.header.span, {
          name: d.header.name,
          suggestion: closest(d.header.name, headerNames(ctx)),
        }),
      );
    return undefined;
  }
  const r = evalConst(ctx, d.value, "the value of a `parse` condition");
  const v = r ? fitValue(ctx, d.value, r.value, r.ty, field.ty) : undefined;
  if (!v) return undefined;
  const list = ctx.parsedAfter.get(d.header.name) ?? [];
  list.push(after.name);
  ctx.parsedAfter.set(d.header.name, list);
  return { after: after.name, field: field.name, value: v, header: d.header.name, span: d.span };
}

export function headerNames(ctx: Ctx): string[] {
  const user = [...ctx.globals.values()].filter((g) => g.kind === "header").map((g) => g.name);
  return ["eth", "vlan", "vlan_inner", "ipv4", "ipv6", "tcp", "udp", "icmp", "icmpv6", ...user];
}
