// State declarations (`table`, `sketch`, `queue`): the kind's registry entry decides everything —
// type parameters, key constraints, parameters, derived sizes and the memory limit. This pass only
// turns the registry's rules into diagnostics with the right spans.
import type { Decl, StateArg } from "../ast.js";
import type { StateDecl } from "../checked.js";
import {
  BLOCKS,
  findBlock,
  isPow2,
  MAX_STRUCT_BYTES,
  nearestPow2,
  type BlockDef,
  type ParamSpec,
  type Params,
} from "../blocks/index.js";
import { diag } from "../diagnostics/catalogue.js";
import { spanJoin, type Span } from "../span.js";
import { tyName, type Ty } from "../types.js";
import { closest, listNames, type Ctx, type GlobalSym } from "./context.js";
import { evalConstInt } from "./consts.js";
import { valueLimit } from "./value-limits.js";
import { resolveType } from "./resolve-types.js";
import { checkExports, EXPORT_ARG } from "./exports.js";

/** Kinds whose per-CPU map allocates per-CPU memory per element (load time grows with capacity). */
const PER_CPU_PER_ELEMENT: readonly string[] = ["array", "hash", "lru"];
/** Largest per-CPU array/hash/lru table (NF4120): 2^24 entries took over 120 s to load. */
const PER_CPU_MAX_ENTRIES = 1 << 20;

export function checkState(ctx: Ctx, g: GlobalSym & { kind: "state" }): StateDecl | undefined {
  const d = g.decl;
  const block = findBlock(d.blockKind.name);
  if (!block) {
    const same = BLOCKS.filter((b) => b.family === d.family).map((b) => b.name);
    ctx.report(
      diag("NF2017", d.blockKind.span, {
        family: d.family,
        kind: d.blockKind.name,
        suggestion: closest(d.blockKind.name, same.length ? same : BLOCKS.map((b) => b.name)),
      }),
    );
    return undefined;
  }
  if (block.family !== d.family) {
    ctx.report(
      diag("NF2018", d.blockKind.span, { kind: block.name, actual: block.family, written: d.family }),
    );
    return undefined;
  }
  g.block = block;
  const types = checkTypeArgs(ctx, d, block);
  const params = checkParams(ctx, d, block);
  if (!types || !params) return undefined;
  const exported = checkExports(ctx, d, block, types.key, params);
  if (exported === "error") return undefined;
  const bytes = block.memoryBytes(params, types.key, types.value);
  if (bytes > MAX_STRUCT_BYTES) {
    ctx.report(
      diag("NF4005", d.name.span, {
        name: d.name.name,
        mib: (bytes / 2 ** 20).toFixed(1),
        max: MAX_STRUCT_BYTES / 2 ** 20,
      }),
    );
    return undefined;
  }
  const tooLarge = valueLimit(block, params, types.key, types.value, d.name.name, d.name.span);
  if (tooLarge) {
    ctx.report(tooLarge);
    return undefined;
  }
  const capacity = Number(params.capacity);
  if (params.per_cpu === true && PER_CPU_PER_ELEMENT.includes(block.name) && capacity > PER_CPU_MAX_ENTRIES) {
    ctx.report(
      diag("NF4120", d.name.span, {
        name: d.name.name,
        kind: block.name,
        capacity,
        max: PER_CPU_MAX_ENTRIES,
      }),
    );
    return undefined;
  }
  const state: StateDecl = {
    name: d.name.name,
    family: d.family,
    kind: block.name,
    key: types.key,
    params,
    span: d.name.span,
  };
  if (types.value) state.value = types.value;
  if (exported) state.exported = exported;
  g.state = state;
  return state;
}

function checkTypeArgs(
  ctx: Ctx,
  d: Decl & { kind: "state" },
  block: BlockDef,
): { key: Ty; value?: Ty } | undefined {
  const want = block.typeParams.length;
  if (d.typeArgs.length !== want) {
    const last = d.typeArgs[d.typeArgs.length - 1];
    const span = last ? spanJoin(d.blockKind.span, last.span) : d.blockKind.span;
    ctx.report(
      diag("NF2019", span, {
        kind: block.name,
        expected: `<${block.typeParams.join(", ")}>`,
        found: d.typeArgs.length,
      }),
    );
    return undefined;
  }
  const tys = d.typeArgs.map((t) => resolveType(ctx, t));
  const [key, value] = tys;
  if (!key || tys.some((t) => !t)) return undefined;
  const accepted = block.checkKey?.(key);
  if (accepted) {
    ctx.report(diag("NF2020", d.typeArgs[0]!.span, { kind: block.name, ty: tyName(key), accepted }));
    return undefined;
  }
  return value ? { key, value } : { key };
}

function checkParams(ctx: Ctx, d: Decl & { kind: "state" }, block: BlockDef): Params | undefined {
  const given: Params = {};
  const where = new Map<string, StateArg>();
  let ok = true;
  for (const a of d.args) {
    if (a.name.name === EXPORT_ARG) continue; // exports.ts
    const spec = block.params.find((p) => p.name === a.name.name);
    if (!spec) {
      const names = block.params.map((p) => p.name);
      ctx.report(
        diag("NF2021", a.name.span, {
          kind: block.name,
          param: a.name.name,
          suggestion: closest(a.name.name, names),
          params: listNames(names),
        }),
      );
      ok = false;
      continue;
    }
    const first = where.get(spec.name);
    if (first) {
      ctx.report(
        diag(
          "NF2022",
          a.name.span,
          { param: spec.name },
          { secondary: [{ span: first.name.span, message: "first given here" }] },
        ),
      );
      ok = false;
      continue;
    }
    where.set(spec.name, a);
    const v = paramValue(ctx, a, spec);
    if (v === undefined) ok = false;
    else given[spec.name] = v;
  }
  if (!ok) return undefined;
  const touched = block.forms.filter((f) => f.some((p) => p in given));
  const describe = (f: readonly string[]): string => listNames(f);
  if (touched.length > 1) {
    const a = touched[0]!.find((p) => p in given)!;
    const b = touched[1]!.find((p) => p in given)!;
    ctx.report(diag("NF2025", where.get(b)!.name.span, { a, b }));
    return undefined;
  }
  const form = touched[0];
  if (block.forms.length > 0 && (!form || form.some((p) => !(p in given)))) {
    const forms = form ? describe(form) : block.forms.map(describe).join(", or ");
    ctx.report(diag("NF2023", d.name.span, { kind: block.name, forms }));
    return undefined;
  }
  for (const p of block.params) if (p.kind === "flag" && !(p.name in given)) given[p.name] = false;
  const derived = block.derive({ ...block.defaults, ...given });
  // Derived values (width from epsilon, ...) must satisfy the same limits as given ones.
  const formSpan = form ? where.get(form[0]!)!.span : d.name.span;
  for (const [name, v] of Object.entries(derived)) {
    const spec = block.params.find((p) => p.name === name);
    if (!spec || spec.kind !== "int" || name in given || typeof v !== "number") continue;
    if (!checkRange(ctx, spec, v, formSpan)) return undefined;
  }
  return derived;
}

function paramValue(ctx: Ctx, a: StateArg, spec: ParamSpec): number | boolean | undefined {
  if (spec.kind === "flag") {
    if (a.value) {
      ctx.report(diag("NF2024", a.span, { param: spec.name, expected: "no value" }));
      return undefined;
    }
    return true;
  }
  const expected = spec.kind === "int" ? "an integer" : "a decimal number";
  if (!a.value || (spec.kind === "int" && a.value.kind === "decimal")) {
    ctx.report(diag("NF2024", a.value?.span ?? a.span, { param: spec.name, expected }));
    return undefined;
  }
  let v: number;
  if (a.value.kind === "decimal") v = a.value.value;
  else {
    const n = evalConstInt(ctx, a.value, `structure parameter \`${spec.name}\``);
    if (n === undefined) return undefined;
    v = Number(n);
  }
  return checkRange(ctx, spec, v, a.value.span) ? v : undefined;
}

function checkRange(ctx: Ctx, spec: ParamSpec & { kind: "int" | "decimal" }, v: number, span: Span): boolean {
  const inside = spec.kind === "int" ? v >= spec.min && v <= spec.max : v > spec.min && v < spec.max;
  if (!inside) {
    const [min, max] =
      spec.kind === "int"
        ? [String(spec.min), String(spec.max)]
        : [`${spec.min}`, `${spec.max} (both exclusive)`];
    ctx.report(diag("NF4004", span, { param: spec.name, value: String(v), min, max }));
    return false;
  }
  if (spec.kind === "int" && spec.pow2 && !isPow2(v)) {
    ctx.report(
      diag("NF4003", span, {
        param: spec.name,
        value: String(v),
        suggest: Math.min(nearestPow2(v), spec.max),
      }),
    );
    return false;
  }
  return true;
}
