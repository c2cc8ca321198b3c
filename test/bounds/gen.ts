// Programs at the edges of every structure parameter, generated from the registry (lang/blocks):
// for each kind, each integer parameter at its minimum and at its maximum (the other parameters of
// its form at their minimum), with every datapath operation of the kind called on packet-derived
// keys. A new kind or parameter is covered without touching this file.
import { BLOCKS, type BlockDef, type ParamSpec, type TyRef } from "../../lang/blocks/index.js";
import { generate } from "../../compiler/pipeline.js";
import { checkSource } from "../../lang/index.js";
import { U32 } from "../../lang/types.js";

export interface BoundCase {
  /** `<kind>_<param>_<min|max>`: also the NF's name. */
  name: string;
  kind: string;
  param: string;
  end: "min" | "max";
  value: number;
  perCpu: boolean;
  /** The structure's memory per shard (the registry's estimate), in bytes. */
  bytes: number;
  source: string;
}

/** The key type the kind takes: u32, or ip4 where u32 is refused (lpm). */
export function keyOf(b: BlockDef): "u32" | "ip4" {
  return b.checkKey?.(U32) ? "ip4" : "u32";
}

function argText(p: ParamSpec, v: number): string {
  return `${p.name} = ${p.kind === "decimal" ? String(v) : Math.round(v)}`;
}

/** The arguments of one case: `param` at `value`, the rest of its form at their minimum. */
export function args(
  b: BlockDef,
  param: ParamSpec & { kind: "int" },
  value: number,
  perCpu: boolean,
): string {
  const form = b.forms.find((f) => f.includes(param.name)) ?? b.forms[0] ?? [];
  const out: string[] = [];
  for (const name of new Set([...form, param.name])) {
    const spec = b.params.find((p) => p.name === name)!;
    if (spec === param) out.push(argText(spec, value));
    else if (spec.kind === "int") out.push(argText(spec, spec.min));
    else if (spec.kind === "decimal") out.push(argText(spec, (spec.min + spec.max) / 2));
  }
  // Required outside the forms (nitro's `one_in`, unless `p` is given): at its minimum.
  for (const spec of b.params)
    if (
      spec.kind === "int" &&
      spec !== param &&
      !b.forms.some((f) => f.includes(spec.name)) &&
      !(spec.name in b.defaults)
    )
      out.push(argText(spec, spec.min));
  if (perCpu && b.params.some((p) => p.name === "per_cpu")) out.push("per_cpu");
  return out.join(", ");
}

/** An argument expression of a type in an operation signature. */
function arg(t: TyRef, key: string): string {
  switch (t.kind) {
    case "K":
      return key;
    case "V":
      return "n as u64";
    case "ty":
      return t.ty.kind === "int" && t.ty.bits === 64 ? "now_ns()" : "n";
    default:
      throw new Error(`no argument for ${t.kind}`);
  }
}

/** One statement calling `op` that makes the result observable (a counter). */
export function call(b: BlockDef, op: string, key: string): string | undefined {
  const sig = b.ops[op]!;
  if (!sig.datapath) return undefined;
  const text = `s.${op}(${sig.params.map((p) => arg(p.ty, key)).join(", ")})`;
  const r = sig.result;
  if (r.kind === "optionV" || r.kind === "optionK") return `if let x = ${text} { hits += 1 }`;
  if (r.kind === "ty" && r.ty.kind === "bool") return `if ${text} { hits += 1 }`;
  if (r.kind === "ty" && r.ty.kind === "int") return `if ${text} > 1 { hits += 1 }`;
  return text;
}

function program(b: BlockDef, name: string, params: string): string {
  const key = keyOf(b);
  const types = b.typeParams.map((p) => (p === "K" ? key : "u64")).join(", ");
  const keyExpr = key === "ip4" ? "ip.src" : "(ip.src as u32) & 0xff";
  const ops = Object.keys(b.ops)
    .map((op) => call(b, op, "k"))
    .filter((s): s is string => s !== undefined);
  return `nf ${name} on xdp
${b.family} s: ${b.name}<${types}>(${params})
counter hits
on packet {
  let ip = ipv4 else { pass }
  let k = ${keyExpr}
  let n = pkt_len()
  ${ops.join("\n  ")}
  if n > 100 { drop }
  pass
}
`;
}

const SIZE_LIMITS = ["NF4005", "NF4102", "NF4103", "NF4120", "NF4201"];

/** Refused for its size by the checker (lowering's own checks are a backstop: test/limits-agree). */
function refusedForMemory(source: string): boolean {
  const r = checkSource(source, "bounds.nf");
  const ds = r.program ? [...r.diagnostics, ...generate(r.program).diagnostics] : r.diagnostics;
  return ds.some((d) => SIZE_LIMITS.includes(d.code));
}

function memoryOf(b: BlockDef, source: string): number {
  const d = checkSource(source, "bounds.nf").program?.states[0];
  return d ? b.memoryBytes(d.params, d.key, d.value) : 0;
}

/** Every kind × integer parameter × {min per-CPU, max shared, max per-CPU} (per-CPU where the kind has the flag). */
export function boundCases(): BoundCase[] {
  const out: BoundCase[] = [];
  for (const b of BLOCKS)
    for (const p of b.params) {
      if (p.kind !== "int") continue;
      const ends = [
        ["min", true],
        ["max", false],
        ["max", true],
      ] as const;
      for (const [end, perCpu] of ends) {
        if (perCpu && !b.params.some((x) => x.name === "per_cpu")) continue;
        const name = `${b.name}_${p.name}_${end}${perCpu ? "_percpu" : ""}`;
        const make = (value: number) => program(b, name, args(b, p, value, perCpu));
        // The largest value the size limits (SIZE_LIMITS) let through at this key and value
        // type: the real maximum a user can write.
        let value = p[end];
        while (end === "max" && value > p.min && refusedForMemory(make(value)))
          value = p.pow2 ? value / 2 : Math.floor(value / 2);
        const source = make(value);
        out.push({
          name,
          kind: b.name,
          param: p.name,
          end,
          value,
          perCpu,
          bytes: memoryOf(b, source),
          source,
        });
      }
    }
  return out;
}
