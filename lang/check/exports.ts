// `export` arguments of a sketch declaration (docs/LANGUAGE.md "Exporting sketches"): what the NF
// author publishes through `nfc metrics`. A topk exports all its entries (bare `export`), an hll its
// groups (`export` = group 0, `export = G` per group), a count_min / count_sketch / nitro the
// estimates of constant keys (`export = KEY`, repeated). The result is the keys as the control
// plane's text forms (decimal integers, dotted ip4), carried to the manifest.
import type { Decl, StateArg } from "../ast.js";
import type { BlockDef, Params } from "../blocks/index.js";
import { diag } from "../diagnostics/catalogue.js";
import { tyName, type Ty } from "../types.js";
import type { Ctx } from "./context.js";
import { evalConst } from "./consts.js";

export const EXPORT_ARG = "export";
const ESTIMATES: readonly string[] = ["count_min", "count_sketch", "nitro"];

/** The declared export keys ([] for a topk or nothing given), undefined when not exported, "error"
 *  after a diagnostic. */
export function checkExports(
  ctx: Ctx,
  d: Decl & { kind: "state" },
  block: BlockDef,
  key: Ty,
  params: Params,
): string[] | undefined | "error" {
  const args = d.args.filter((a) => a.name.name === EXPORT_ARG);
  if (args.length === 0) return undefined;
  const name = d.name.name;
  if (
    block.family !== "sketch" ||
    !(block.name === "topk" || block.name === "hll" || ESTIMATES.includes(block.name))
  ) {
    ctx.report(diag("NF3070", args[0]!.name.span, { name, kind: block.name }));
    return "error";
  }
  const keys: string[] = [];
  const seen = new Set<string>();
  for (const a of args) {
    const text = exportKey(ctx, a, block.name, name, key, Number(params.groups ?? 1));
    if (text === undefined) return "error";
    if (text === "") continue;
    if (seen.has(text)) {
      ctx.report(diag("NF3074", a.span, { key: text }));
      return "error";
    }
    seen.add(text);
    keys.push(text);
  }
  return keys;
}

/** One argument's key text ("" for a bare topk/hll export), undefined after a diagnostic. */
function exportKey(
  ctx: Ctx,
  a: StateArg,
  kind: string,
  name: string,
  key: Ty,
  groups: number,
): string | undefined {
  if (kind === "topk") {
    if (!a.value) return "";
    ctx.report(diag("NF3071", a.value.span, { name }));
    return undefined;
  }
  if (!a.value) {
    if (kind === "hll") return "0";
    ctx.report(diag("NF3072", a.span, { name, kind, key: tyName(key) }));
    return undefined;
  }
  const want: Ty = kind === "hll" ? { kind: "int", bits: 32 } : key;
  const expected =
    kind === "hll"
      ? `a group below ${groups}`
      : want.kind === "int" || want.kind === "ip4"
        ? `a ${tyName(want)}`
        : `a ${tyName(want)} (not writable as a constant)`;
  const c = evalConst(ctx, a.value, "an export key");
  if (!c) return undefined;
  const v = c.value;
  const found = c.ty ? tyName(c.ty) : "an integer";
  const bad = (): undefined => {
    ctx.report(
      diag("NF3073", a.value!.span, { name, expected, found: v.kind === "int" ? String(v.v) : found }),
    );
    return undefined;
  };
  if (want.kind === "int") {
    if (v.kind !== "int" || (c.ty && c.ty.kind !== "int") || v.v < 0n || v.v >= 1n << BigInt(want.bits))
      return bad();
    if (kind === "hll" && v.v >= BigInt(groups)) return bad();
    return v.v.toString();
  }
  if (want.kind === "ip4" && v.kind === "bytes" && c.ty?.kind === "ip4") return v.v.join(".");
  return bad();
}
