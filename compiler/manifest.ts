// `<nf>.manifest.json`: what the control plane needs to find and read an NF's state without the
// source — every map with its key/value layout (offsets, sizes, byte order), structure
// parameters and pin path, the configs and counters — plus a schema hash over the layouts, so a
// loader can tell whether pinned maps from an older build are still compatible.
// Deterministic: fixed key order (canonical JSON with sorted keys), no dates or paths.
import { fileStem } from "./names/files.js";
import { createHash } from "node:crypto";
import type { Hook } from "../lang/ast.js";
import type { IrProgram, Layout, SketchExport } from "./ir/ir.js";

export interface ManifestMap {
  /** The name in the .nf source (or `counters`, `<structure>_samp`, `scratch` for nfc's maps). */
  name: string;
  /** The C variable: what libbpf's bpf_object__find_map_by_name and the object's BTF know. */
  symbol: string;
  /** What the kernel, bpftool and pinning see: `symbol`'s first 15 characters, unique. */
  kernel_name: string;
  family: string;
  kind: string;
  map_type: string;
  key: Layout;
  value: Layout;
  max_entries: number;
  flags: string[];
  per_cpu: boolean;
  params: Record<string, number | boolean | string>;
  pin_path: string;
  /** Sketches and queues: the layout of the key / element type (`nfc sketch`/`nfc queue` parse and
   *  print it). Absent on tables, counters and nfc's own maps; not in the schema hash. */
  element?: Layout;
}

export interface Manifest {
  nf: string;
  source: string;
  hook: Hook;
  /** The runtime of THIS object's maps (`kmod`: sketches through runtime-kmod kfuncs). */
  runtime: "bpf" | "kmod";
  /** kmod only: the `enum nfc_rt_abi` value the object was built against (loader probe). */
  requires_abi?: number;
  /** `--runtime auto`: every object built (pure and kmod), with its own maps and schema hash. */
  objects?: ManifestObject[];
  programs: { section: string; function: string }[];
  maps: ManifestMap[];
  configs: { name: string; symbol: string; type: string; size: number; default: string | number | boolean }[];
  counters: { name: string; offset: number; map: string }[];
  /** Events (lang/events.ts): the ring buffer map's name and each record's layout (id first). */
  events?: ManifestEvents;
  /** Sketches the NF author exports to `nfc metrics` (`export` arguments); not in the schema hash. */
  exports?: SketchExport[];
  schema_hash: string;
}

export interface ManifestEvents {
  map: string;
  records: { name: string; id: number; size: number; fields: Layout["fields"] }[];
}

export interface ManifestObject {
  file: string;
  runtime: "bpf" | "kmod";
  requires_abi?: number;
  maps: ManifestMap[];
  schema_hash: string;
  /** Per operation: where, which structure and operation, the backend and why. */
  operations: {
    at: string;
    structure: string;
    kind: string;
    op: string;
    backend: "bpf" | "kmod";
    reason: string;
  }[];
}

export const PIN_ROOT = "/sys/fs/bpf/nfc";

/** JSON with object keys sorted at every level (arrays keep their order). */
export function canonicalJson(v: unknown, indent = 0): string {
  const sortKeys = (x: unknown): unknown => {
    if (Array.isArray(x)) return x.map(sortKeys);
    if (x && typeof x === "object") {
      return Object.fromEntries(
        Object.keys(x as object)
          .sort()
          .map((k) => [k, sortKeys((x as Record<string, unknown>)[k])]),
      );
    }
    return x;
  };
  return JSON.stringify(sortKeys(v), null, indent);
}

export function buildManifest(ir: IrProgram): Manifest {
  const maps: ManifestMap[] = ir.maps.map((m) => ({
    name: m.name,
    symbol: m.symbol,
    kernel_name: m.kernelName,
    family: m.family,
    kind: m.kind,
    map_type: m.mapType,
    key: m.keyLayout,
    value: m.valueLayout,
    max_entries: m.maxEntries,
    flags: m.flags,
    per_cpu: m.perCpu,
    params: m.params,
    // bounded: compiler/names/files.ts; a `shared` table is pinned once for every NF naming it
    pin_path: `${PIN_ROOT}/${m.params.shared === true ? "shared" : fileStem(ir.nf)}/${fileStem(m.name)}`,
    ...(m.elementLayout ? { element: m.elementLayout } : {}),
  }));
  const configs = ir.configs.map((c) => ({
    name: c.name,
    symbol: c.symbol,
    type: c.langType,
    size: c.size,
    default: c.default,
  }));
  const counterMap = ir.maps.find((m) => m.family === "counter")?.name ?? "counters";
  const schema = {
    maps: maps.map((m) => ({
      name: m.name,
      map_type: m.map_type,
      key: m.key,
      value: m.value,
      max_entries: m.max_entries,
      flags: m.flags,
      params: m.params,
    })),
    configs: configs.map((c) => ({ name: c.name, symbol: c.symbol, type: c.type, size: c.size })),
  };
  return {
    nf: ir.nf,
    source: ir.file.split("/").pop() ?? ir.file,
    hook: ir.hook,
    runtime: "bpf",
    programs: [{ section: ir.handler.section, function: ir.handler.name }],
    maps,
    configs,
    counters: ir.counters.map((c) => ({ ...c, map: counterMap })),
    ...(ir.events
      ? {
          events: {
            map: ir.maps.find((m) => m.mapType === "BPF_MAP_TYPE_RINGBUF")!.name,
            records: ir.events.map((e) => ({
              name: e.name,
              id: e.id,
              size: e.layout.size,
              fields: e.layout.fields,
            })),
          },
        }
      : {}),
    ...(ir.exports ? { exports: ir.exports } : {}),
    schema_hash: createHash("sha256").update(canonicalJson(schema)).digest("hex"),
  };
}

export function manifestJson(m: Manifest): string {
  return `${canonicalJson(m, 2)}\n`;
}
