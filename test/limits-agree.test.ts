// `nfc check` and `nfc build` agree on every limit the source decides (F7): for every registry kind,
// shared and per_cpu, with each integer parameter at its minimum, its maximum and in between, and
// small and large keys and values, a declaration the checker accepts lowers without an NF4xxx (the
// backends' NF41xx, the map limits NF4200-NF4202). Only what depends on clang's object (NF4203-NF4205)
// is left to `nfc build`.
import { describe, expect, test } from "vitest";
import { generate } from "../compiler/pipeline.js";
import { BLOCKS, type BlockDef, type ParamSpec } from "../lang/blocks/index.js";
import { checkSource } from "../lang/index.js";

const KEYS = ["u32", "u64", "ip4", "bytes[16]", "bytes[64]"];
const VALUES = ["u8", "bytes[1000]", "bytes[40000]"];

/** Parameter lists of a kind: every int parameter of its first all-integer form at min / max, and all mid. */
function paramLists(b: BlockDef): string[][] {
  const ints = (names: readonly string[]) =>
    names.map((n) => b.params.find((p) => p.name === n)).filter((p): p is ParamSpec => p?.kind === "int");
  const form = b.forms.find((f) => ints(f).length === f.length) ?? [];
  const specs = ints(form).filter((p) => p.kind === "int") as Extract<ParamSpec, { kind: "int" }>[];
  const mid = (p: Extract<ParamSpec, { kind: "int" }>) => {
    const m = Math.round(Math.sqrt(Math.max(1, p.min) * p.max));
    return p.pow2 ? 2 ** Math.round(Math.log2(m)) : m;
  };
  // optional integer parameters at their minimum (nitro's `one_in` has no default)
  const rest = b.params
    .filter((p) => p.kind === "int" && !b.forms.flat().includes(p.name) && b.defaults[p.name] === undefined)
    .map((p) => `${p.name} = ${(p as Extract<ParamSpec, { kind: "int" }>).min}`);
  const out: string[][] = [[...specs.map((p) => `${p.name} = ${mid(p)}`), ...rest]];
  for (let mask = 0; mask < 1 << specs.length; mask++)
    out.push([...specs.map((p, i) => `${p.name} = ${(mask >> i) & 1 ? p.max : p.min}`), ...rest]);
  return out;
}

function programs(b: BlockDef): string[] {
  const out: string[] = [];
  const perCpu = b.params.some((p) => p.name === "per_cpu") ? [false, true] : [false];
  for (const ps of paramLists(b))
    for (const pc of perCpu)
      for (const k of KEYS)
        for (const v of b.typeParams.length > 1 ? VALUES : [undefined]) {
          const args = [...ps, ...(pc ? ["per_cpu"] : [])].join(", ");
          const tys = v ? `${k}, ${v}` : k;
          out.push(`nf p on xdp\n${b.family} s: ${b.name}<${tys}>(${args})\non packet { pass }\n`);
        }
  return out;
}

describe("check and build agree on the limits the source decides", () => {
  for (const b of BLOCKS) {
    test(`${b.name}: an accepted declaration lowers without an NF4 limit`, () => {
      const late: string[] = [];
      let accepted = 0;
      for (const src of programs(b)) {
        const r = checkSource(src, "p.nf");
        if (!r.program) continue;
        accepted++;
        const g = generate(r.program);
        for (const d of g.diagnostics)
          if (d.code.startsWith("NF4") || d.code === "NF9999")
            late.push(`${d.code} ${d.span?.line}:${d.span?.col} ${src.split("\n")[1]}`);
      }
      expect(late).toEqual([]);
      expect(accepted).toBeGreaterThan(0);
    }, 120_000);
  }
});
