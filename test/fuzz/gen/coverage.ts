// What a generated program used: structure operations by kind and type (the kinds × operations ×
// types table of test/fuzz/README.md) and language features (statements, hooks, name classes).
import { BLOCKS } from "../../../lang/blocks/index.js";

export class Coverage {
  /** "kind.op" -> type label -> count (declarations count as op "decl"). */
  readonly ops = new Map<string, Map<string, number>>();
  readonly features = new Map<string, number>();

  op(kind: string, op: string, ty: string): void {
    const k = `${kind}.${op}`;
    const m = this.ops.get(k) ?? new Map<string, number>();
    m.set(ty, (m.get(ty) ?? 0) + 1);
    this.ops.set(k, m);
  }

  feature(f: string): void {
    this.features.set(f, (this.features.get(f) ?? 0) + 1);
  }

  merge(o: Coverage): void {
    for (const [k, m] of o.ops)
      for (const [t, n] of m) for (let i = 0; i < n; i++) this.op(k.split(".")[0]!, k.split(".")[1]!, t);
    for (const [f, n] of o.features) this.features.set(f, (this.features.get(f) ?? 0) + n);
  }
}

export const TYPE_COLUMNS = [
  "u8",
  "u16",
  "u32",
  "u64",
  "bool",
  "ip4",
  "ip6",
  "mac",
  "bytes",
  "flow5",
  "struct",
];

/** The coverage table (markdown): one row per registry kind and operation, one column per key /
 *  element type, cells = how many generated programs' call sites used it; then the features. */
export function renderCoverage(c: Coverage, title: string): string {
  const out = [
    `# ${title}`,
    "",
    "Structure operations (rows: registry kind.operation, including `decl`; columns: key / element type; cells: occurrences)",
    "",
  ];
  out.push(
    `| kind.op | ${TYPE_COLUMNS.join(" | ")} | total |`,
    `|---|${TYPE_COLUMNS.map(() => "---:").join("|")}|---:|`,
  );
  const missing: string[] = [];
  for (const b of BLOCKS)
    for (const op of ["decl", ...Object.keys(b.ops).filter((o) => b.ops[o]!.datapath)]) {
      const m = c.ops.get(`${b.name}.${op}`) ?? new Map<string, number>();
      const total = [...m.values()].reduce((s, n) => s + n, 0);
      if (!total) missing.push(`${b.name}.${op}`);
      out.push(`| ${b.name}.${op} | ${TYPE_COLUMNS.map((t) => m.get(t) ?? "").join(" | ")} | ${total} |`);
    }
  out.push(
    "",
    `Operations never generated: ${missing.length ? missing.join(", ") : "none"}`,
    "",
    "| feature | occurrences |",
    "|---|---:|",
  );
  for (const [f, n] of [...c.features].sort(([a], [b]) => a.localeCompare(b))) out.push(`| ${f} | ${n} |`);
  return out.join("\n") + "\n";
}
