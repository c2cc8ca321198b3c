// Top-level declarations: consts and configs of every literal type, user structs, user headers
// with parse extensions (after built-in headers, after other user headers, cycles), structures of
// every registry kind with parameters drawn from the registry's own bounds, and counters.
import {
  BLOCKS,
  MAX_STRUCT_BYTES,
  type BlockDef,
  type ParamSpec,
  type Params,
} from "../../../lang/blocks/index.js";
import { BUILTIN_HEADERS, type HeaderField } from "../../../lang/headers.js";
import { sizeOf, structTy, type Ty } from "../../../lang/types.js";
import { checkSource } from "../../../lang/index.js";
import { on, type Gen, type StateG } from "./ctx.js";
import {
  BOOL,
  FLOW5,
  INTS,
  IP4,
  IP6,
  MAC,
  U16,
  U32,
  U8,
  intLit,
  isInt,
  scalarLit,
  tyLabel,
  tyText,
} from "./types.js";

/** Generator budget per structure: keeps loads and full-state dumps fast on a small machine. The
 *  registry maximum of a parameter is still drawn whenever the structure stays under it. */
const GEN_MEMORY_CAP = 4 << 20;
const PER_CPU_VALUE_MAX = 32 * 1024;

export function declareScalars(g: Gen): void {
  const kinds: Ty[] = on(g, "nonint-config") ? [...INTS, ...INTS, BOOL, IP4, IP6, MAC] : [...INTS];
  for (let i = g.r.int(0, 3); i > 0; i--) {
    const ty = g.r.pick(kinds);
    const name = g.names.fresh("const");
    // a const may be an expression over earlier integer consts
    const prev = g.consts.filter(
      (c) => c.ty.kind === "int" && (c.ty as Ty & { kind: "int" }).bits <= (ty as Ty & { kind: "int" }).bits,
    );
    const val =
      isInt(ty) && prev.length && g.r.chance(0.3)
        ? `${g.r.pick(prev).name} ${g.r.pick(["&", "|", "^"])} ${intLit(g.r, ty)}`
        : scalarLit(g.r, ty)!;
    g.out.push(`const ${name}: ${tyText(ty)} = ${val}`);
    g.consts.push({ name, ty, role: "const" });
    g.cov.feature(`const ${tyLabel(ty)}`);
  }
  for (let i = g.r.int(0, 3); i > 0; i--) {
    const ty = g.r.pick(kinds);
    const name = g.names.fresh("config");
    g.out.push(`config ${name}: ${tyText(ty)} = ${scalarLit(g.r, ty)}`);
    g.configs.push({ name, ty, role: "config" });
    g.cov.feature(`config ${tyLabel(ty)}`);
  }
}

/** A data type for a struct field, key, value or local: scalars, bytes[N], flow5, earlier structs. */
export function dataType(g: Gen, maxBytes = 64): Ty {
  const cands: Ty[] = [
    ...INTS,
    ...INTS,
    BOOL,
    IP4,
    IP6,
    MAC,
    { kind: "bytes", len: g.r.pick([1, 2, 3, 4, 6, 8, 16]) },
  ];
  if (on(g, "flow5")) cands.push(FLOW5);
  if (on(g, "structs")) cands.push(...g.structs);
  const fit = cands.filter((t) => sizeOf(t) <= maxBytes);
  return g.r.pick(fit.length ? fit : INTS);
}

export function declareStructs(g: Gen): void {
  if (!on(g, "structs")) return;
  for (let i = g.r.int(0, 2); i > 0; i--) {
    const name = g.names.fresh("type");
    const seen = new Set<string>();
    const fields = Array.from({ length: g.r.int(1, 4) }, () => ({
      name: g.names.field(seen),
      ty: dataType(g, 20),
    }));
    g.out.push(`type ${name} { ${fields.map((f) => `${f.name}: ${tyText(f.ty)}`).join(", ")} }`);
    g.structs.push(structTy(name, fields));
    g.cov.feature("type struct");
  }
}

const WIRE: Ty[] = [U8, U16, U32, U8, U16, U32, { kind: "int", bits: 64 }, IP4, IP6, MAC];

export function declareHeaders(g: Gen): void {
  for (const h of BUILTIN_HEADERS) g.headers.push({ name: h.name, def: h, user: false });
  if (!on(g, "user-headers") || !g.r.chance(0.4)) return;
  const users: string[] = [];
  for (let i = g.r.int(1, 2); i > 0; i--) {
    const name = g.names.fresh("header");
    const seen = new Set<string>();
    let offset = 0;
    const fields: HeaderField[] = [];
    for (let j = g.r.int(1, 4); j > 0; j--) {
      const ty: Ty = g.r.chance(0.2) ? { kind: "bytes", len: g.r.int(1, 6) } : g.r.pick(WIRE);
      fields.push({ name: g.names.field(seen), ty, offset, writable: true, csum: "none" });
      offset += sizeOf(ty);
    }
    g.out.push(`header ${name} { ${fields.map((f) => `${f.name}: ${tyText(f.ty)}`).join(", ")} }`);
    g.headers.push({ name, def: { name, size: offset, fields, builtin: false }, user: true });
    users.push(name);
    g.cov.feature("header (user)");
  }
  // parse extensions: after udp/tcp ports (what the packet generator follows), or after another
  // user header (chains and cycles)
  for (const u of users) {
    const after = g.r.weighted<string>([
      [3, "udp"],
      [2, "tcp"],
      [1, g.r.pick(users)],
    ]);
    const ah = g.headers.find((h) => h.name === after)!;
    const ints = ah.def.fields.filter((f) => isInt(f.ty));
    if (!ints.length) continue;
    const f =
      after === "udp" || after === "tcp" ? ah.def.fields.find((x) => x.name === "dport")! : g.r.pick(ints);
    const v =
      after === "udp" || after === "tcp" ? String(g.r.pick([4789, 6081, 1234, 53])) : intLit(g.r, f.ty);
    g.out.push(`parse ${after}.${f.name} == ${v} => ${u}`);
    g.headers.find((h) => h.name === u)!.parsed = true;
    g.cov.feature(
      after === "udp" || after === "tcp"
        ? `parse after ${after}`
        : after === u
          ? "parse cycle (self)"
          : "parse after user header",
    );
  }
}

/** A value for one integer parameter: the registry minimum or maximum, or something between. */
function intParam(g: Gen, s: ParamSpec & { kind: "int" }): number {
  const pow2 = (lo: number, hi: number): number =>
    2 ** g.r.int(Math.ceil(Math.log2(Math.max(lo, 1))), Math.floor(Math.log2(hi)));
  const mid = s.pow2 ? pow2(s.min, Math.min(s.max, 4096)) : g.r.int(s.min, Math.min(s.max, s.min + 4096));
  const choice = g.r.weighted<"min" | "max" | "mid">([
    [on(g, "param-min") ? 1 : 0, "min"],
    [on(g, "param-max") ? 1 : 0, "max"],
    [3, "mid"],
  ]);
  if (choice === "min") return s.pow2 ? 2 ** Math.ceil(Math.log2(Math.max(s.min, 1))) : s.min;
  if (choice === "max") return s.pow2 ? 2 ** Math.floor(Math.log2(s.max)) : s.max;
  return mid;
}

function paramText(g: Gen, spec: ParamSpec, v: number): string {
  if (spec.kind === "decimal") return String(v);
  // sometimes through a const (parameters are constant expressions)
  if (g.r.chance(0.15) && v <= 0xffffffff) {
    const c = g.names.fresh("const");
    g.out.push(`const ${c}: u64 = ${v}`);
    g.consts.push({ name: c, ty: { kind: "int", bits: 64 }, role: "const" });
    return c;
  }
  return String(v);
}

function drawParams(g: Gen, b: BlockDef): { given: [ParamSpec, number][]; perCpu: boolean } {
  const given: [ParamSpec, number][] = [];
  const form = b.forms.length ? g.r.pick(b.forms) : [];
  for (const name of form) {
    const spec = b.params.find((p) => p.name === name)!;
    if (spec.kind === "int") given.push([spec, intParam(g, spec)]);
    else if (spec.kind === "decimal") given.push([spec, g.r.pick([0.5, 0.1, 0.01, 0.001, 0.25])]);
  }
  // optional parameters outside the form (cuckoo max_kicks, hll groups, nitro one_in / p)
  const optional = b.params.filter((p) => p.kind !== "flag" && !b.forms.some((f) => f.includes(p.name)));
  if (optional.length && g.r.chance(0.6)) {
    const spec = g.r.pick(optional);
    if (spec.kind === "int") given.push([spec, intParam(g, spec)]);
    else if (spec.kind === "decimal") given.push([spec, 2 ** -g.r.int(1, 16)]);
  }
  const perCpu = on(g, "per-cpu") && b.params.some((p) => p.name === "per_cpu") && g.r.chance(0.3);
  return { given, perCpu };
}

/** Whether the checker refuses this one declaration by a coded limit (NF4xxx): the generator's
 *  model of the limits is the checker itself, so limits added later are avoided too (any other
 *  refusal is left for the full program to report). */
function limited(g: Gen, decl: string): boolean {
  const types = g.out.filter((l) => l.startsWith("type "));
  const r = checkSource(["nf probe on xdp", ...types, decl, "on packet { pass }", ""].join("\n"), "probe.nf");
  return r.diagnostics.some((d) => d.severity === "error" && d.code.startsWith("NF4"));
}

export function declareStates(g: Gen): void {
  const blocks = BLOCKS.filter((b) => on(g, `kind:${b.name}`));
  const n = g.r.int(1, 5);
  for (let i = 0; i < n; i++) {
    const b = g.r.pick(blocks);
    let key = dataType(g);
    for (let t = 0; t < 20 && b.checkKey?.(key); t++) key = dataType(g);
    if (b.checkKey?.(key)) key = b.name === "lpm" ? IP4 : U32;
    const value = b.typeParams.includes("V") ? dataType(g, 48) : undefined;
    let p = drawParams(g, b);
    const fits = (x: typeof p): boolean => {
      const params: Params = Object.fromEntries(x.given.map(([s, v]) => [s.name, v]));
      if (x.perCpu) params.per_cpu = true;
      let derived: Params;
      try {
        derived = b.derive({ ...b.defaults, ...params });
      } catch {
        return false;
      }
      // the derived parameters must be inside the registry's bounds too (bloom bits from capacity
      // and fp; nitro's one_in when neither p nor one_in is given)
      for (const spec of b.params)
        if (spec.kind === "int" && typeof derived[spec.name] === "number") {
          const v = derived[spec.name] as number;
          if (v < spec.min || v > spec.max) return false;
        }
      if (!on(g, "small-bloom") && b.name === "bloom" && Number(derived.bits) < 64) return false; // F9 open
      const bytes = b.memoryBytes(derived, key, value);
      return (
        bytes <= Math.min(GEN_MEMORY_CAP, MAX_STRUCT_BYTES) &&
        !(b.oneValue && x.perCpu && bytes > PER_CPU_VALUE_MAX)
      );
    };
    const tps = b.typeParams.map((tp) => tyText(tp === "K" ? key : value!)).join(", ");
    const text = (x: typeof p, name: string, vals: string[]): string =>
      `${b.family} ${name}: ${b.name}<${tps}>(${[...x.given.map(([s], i) => `${s.name} = ${vals[i]}`), ...(x.perCpu ? ["per_cpu"] : [])].join(", ")})`;
    for (
      let t = 0;
      t < 30 &&
      !(
        fits(p) &&
        !limited(
          g,
          text(
            p,
            "probe",
            p.given.map(([, v]) => String(v)),
          ),
        )
      );
      t++
    )
      p = drawParams(g, b);
    if (!fits(p)) continue;
    const name = g.names.fresh("state");
    g.out.push(
      text(
        p,
        name,
        p.given.map(([s, v]) => paramText(g, s, v)),
      ),
    );
    const params: Params = Object.fromEntries(p.given.map(([s, v]) => [s.name, v]));
    g.states.push({ name, block: b, key, value, params } satisfies StateG);
    g.cov.op(b.name, "decl", tyLabel(key));
    for (const [s, v] of p.given)
      if (s.kind === "int" && (v === s.min || v === s.max))
        g.cov.feature(`param ${b.name}.${s.name} at ${v === s.min ? "min" : "max"}`);
    if (p.perCpu) g.cov.feature(`per_cpu ${b.name}`);
  }
  const counters = Array.from({ length: g.r.int(0, 3) }, () => g.names.fresh("counter"));
  if (counters.length) g.out.push(`counter ${counters.join(", ")}`);
  g.counters.push(...counters);
}
