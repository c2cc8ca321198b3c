// `nfc table NF TABLE add|del|get|list|clear` and `nfc counters NF`: the pinned maps of a loaded
// NF read and written by type, from the manifest kept at load (names, layouts: never recomputed).
// Per-CPU values are written to every CPU and read summed per integer field unless perCpu.
import type { ManifestMap, Manifest } from "../manifest.js";
import { fromHex } from "../kernel/runner.js";
import { expectedForm, formatLayout, jsonLayout, parseLayout, sumLayout } from "./codec.js";
import { deployFail } from "./errors.js";
import { DeployKernel } from "./kernel.js";
import { requireRoot } from "./load.js";
import { readRecord } from "./record.js";

export interface TableRow {
  key: string;
  value: string;
  /** JSON forms of key and value (numbers where exact). */
  json: { key: unknown; value: unknown; per_cpu?: unknown[] };
  /** Per CPU (perCpu on a per-CPU table): each CPU's value text. */
  perCpu?: string[];
}

const TABLE_KINDS = ["hash", "lru", "lpm", "array"];

export function tableMap(nf: string, maps: ManifestMap[], name: string): ManifestMap {
  const m = maps.find((x) => x.name === name);
  const tables = maps.filter((x) => x.family === "table" && TABLE_KINDS.includes(x.kind));
  if (!m) {
    const structure = maps.find((x) => x.params.structure === name);
    if (structure)
      deployFail("NF6019", {
        name,
        kind: structure.kind,
        hint: "its maps hold a structure's internal layout, not key/value entries",
      });
    deployFail("NF6009", { nf, name, kinds: "table", known: tables.map((t) => t.name).join(", ") });
  }
  if (!tables.includes(m))
    deployFail("NF6019", {
      name,
      kind: `${m.family} (${m.kind})`,
      hint: "`nfc table` reads and writes key/value tables only",
    });
  return m;
}

async function withTable<T>(
  nf: string,
  table: string,
  f: (k: DeployKernel, m: ManifestMap) => Promise<T>,
): Promise<T> {
  requireRoot("table");
  const { maps } = readRecord(nf);
  const m = tableMap(nf, maps, table);
  const k = await DeployKernel.start();
  try {
    await k.openPinned(m.kernel_name, m.pin_path);
    return await f(k, m);
  } finally {
    await k.close();
  }
}

function row(m: ManifestMap, key: Uint8Array, shards: Uint8Array[], perCpu: boolean): TableRow {
  const v = sumLayout(m.value, shards);
  const r: TableRow = {
    key: formatLayout(m.key, key),
    value: formatLayout(m.value, v),
    json: { key: jsonLayout(m.key, key), value: jsonLayout(m.value, v) },
  };
  if (perCpu && m.per_cpu) {
    r.perCpu = shards.map((s) => formatLayout(m.value, s));
    r.json.per_cpu = shards.map((s) => jsonLayout(m.value, s));
  }
  return r;
}

export type TableOp =
  | { op: "add"; key: string; value: string; replace?: boolean }
  | { op: "del"; key: string }
  | { op: "get"; key: string }
  | { op: "list" }
  | { op: "clear" };

/** Runs one table operation; returns the rows it read (get, list) or a one-line summary. */
export async function tableOp(
  nf: string,
  table: string,
  op: TableOp,
  opts: { perCpu?: boolean } = {},
): Promise<{ rows: TableRow[]; summary: string }> {
  return withTable(nf, table, async (k, m) => {
    const name = m.kernel_name;
    if (op.op === "add") {
      const key = parseLayout(m.key, op.key, "key");
      const value = parseLayout(m.value, op.value, "value");
      const r = await k.update(name, key, value, op.replace === false ? "noexist" : "any");
      if (!r.ok) {
        // E2BIG: a full hash/LPM map, or an array index past the end.
        if (r.errno === 7 && m.kind === "array")
          deployFail("NF6011", {
            what: "index",
            text: op.key,
            type: `${m.name}[0..${m.max_entries - 1}]`,
            max: String(m.max_entries - 1),
          });
        if (r.errno === 7) deployFail("NF6012", { table: m.name, capacity: m.max_entries });
        deployFail("NF6015", { step: `adding to \`${m.name}\``, detail: r.error });
      }
      return {
        rows: [],
        summary: `${m.name}: ${formatLayout(m.key, key)} = ${formatLayout(m.value, value)}`,
      };
    }
    if (op.op === "del") {
      const key = parseLayout(m.key, op.key, "key");
      if (m.kind === "array")
        deployFail("NF6019", {
          name: m.name,
          kind: "array",
          hint: "array entries cannot be deleted; `add` a zero value or `clear` the table",
        });
      const r = await k.must(
        `delete ${name} ${Buffer.from(key).toString("hex")}`,
        `deleting from \`${m.name}\``,
      );
      if (r.deleted !== true) deployFail("NF6013", { table: m.name, key: formatLayout(m.key, key) });
      return { rows: [], summary: `${m.name}: deleted ${formatLayout(m.key, key)}` };
    }
    if (op.op === "get") {
      const key = parseLayout(m.key, op.key, "key");
      const r = await k.must(`lookup ${name} ${Buffer.from(key).toString("hex")}`, `reading \`${m.name}\``);
      if (r.found !== true) deployFail("NF6013", { table: m.name, key: formatLayout(m.key, key) });
      const shards = Array.isArray(r.values)
        ? (r.values as string[]).map(fromHex)
        : [fromHex(r.value as string)];
      return { rows: [row(m, key, shards, opts.perCpu ?? false)], summary: "" };
    }
    if (op.op === "clear") {
      const r = await k.must(`clear ${name}`, `clearing \`${m.name}\``);
      return { rows: [], summary: `${m.name}: cleared ${String(r.cleared)} entries` };
    }
    const r = await k.must(`dump ${name}`, `listing \`${m.name}\``);
    const rows: TableRow[] = [];
    for (const e of r.entries as Array<{ key: string; value?: string; values?: string[] }>) {
      const shards = e.values ? e.values.map(fromHex) : [fromHex(e.value!)];
      if (m.kind === "array" && shards.every((s) => s.every((b) => b === 0))) continue; // untouched slots
      rows.push(row(m, fromHex(e.key), shards, opts.perCpu ?? false));
    }
    return { rows, summary: `${rows.length} entries` };
  });
}

export interface CounterRow {
  name: string;
  total: bigint;
  perCpu: bigint[];
}

/** Every counter of the NF, summed across CPUs (perCpu kept alongside). */
export async function readCounters(
  k: DeployKernel,
  manifest: Manifest,
  maps: ManifestMap[],
): Promise<CounterRow[]> {
  const out: CounterRow[] = [];
  for (const mapName of new Set(manifest.counters.map((c) => c.map))) {
    const m = maps.find((x) => x.name === mapName);
    if (!m) continue;
    await k.openPinned(m.kernel_name, m.pin_path);
    const r = await k.must(`dump ${m.kernel_name}`, "reading counters");
    const e = (r.entries as Array<{ value?: string; values?: string[] }>)[0];
    const shards = e ? (e.values ?? [e.value!]).map(fromHex) : [];
    for (const c of manifest.counters.filter((x) => x.map === mapName)) {
      const perCpu = shards.map((s) => new DataView(s.buffer, s.byteOffset).getBigUint64(c.offset, true));
      out.push({ name: c.name, perCpu, total: perCpu.reduce((a, b) => a + b, 0n) });
    }
  }
  return out;
}

export async function counters(nf: string): Promise<CounterRow[]> {
  requireRoot("counters");
  const { manifest, maps } = readRecord(nf);
  const k = await DeployKernel.start();
  try {
    return await readCounters(k, manifest, maps);
  } finally {
    await k.close();
  }
}

export { expectedForm };
