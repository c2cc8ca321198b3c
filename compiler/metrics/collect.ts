// What `nfc metrics` exports, read fresh at every scrape from the loaded NFs' pinned maps (the
// deploy read side: compiler/deploy/maps.ts, tables.ts, sketch.ts). Plain data; exposition.ts
// turns it into prom-client metrics. Every sample carries the labels nf, iface (the NF's
// interfaces, `dev@netns` inside a namespace, comma-separated) and host.
import { existsSync, readFileSync } from "node:fs";
import { hiddenCounter } from "../../lang/events.js";
import { DeployKernel } from "../deploy/kernel.js";
import { answer, readSketch } from "../deploy/sketch.js";
import { loadedNfs, readRecord } from "../deploy/record.js";
import { readCounters } from "../deploy/tables.js";

/** A sketch value exported: declared by the NF author (`export` arguments, in the manifest) or
 *  given by the operator (`--export NF:SKETCH[:KEY,KEY...]`, which replaces the author's keys). */
export interface SketchExport {
  nf: string;
  sketch: string;
  /** count-min / count sketch / nitro: the keys whose estimates are exported; hll: groups. */
  keys: string[];
}

export interface NfSample {
  nf: string;
  iface: string;
  counters: { name: string; value: number }[];
  events: { event: string; sent: number; dropped: number }[];
  tables: { table: string; entries: number; capacity: number }[];
  /** Present when kernel.bpf_stats_enabled is 1. */
  program?: { runs: number; seconds: number };
  topk: { sketch: string; key: string; count: number }[];
  distinct: { sketch: string; group: string; value: number }[];
  estimates: { sketch: string; key: string; value: number }[];
}

export function bpfStatsEnabled(): boolean {
  const f = "/proc/sys/kernel/bpf_stats_enabled";
  return existsSync(f) && readFileSync(f, "utf8").trim() === "1";
}

/** One reading of `nfs` (default: every loaded NF). */
export async function collect(
  nfs: readonly string[] | undefined,
  exports: readonly SketchExport[],
): Promise<NfSample[]> {
  const names = nfs && nfs.length > 0 ? nfs : loadedNfs();
  const stats = bpfStatsEnabled();
  const out: NfSample[] = [];
  const k = await DeployKernel.start();
  try {
    for (const nf of names) {
      const { record, manifest, maps } = readRecord(nf);
      const s: NfSample = {
        nf,
        iface: record.attachments.map((a) => (a.netns ? `${a.dev}@${a.netns}` : a.dev)).join(","),
        counters: [],
        events: [],
        tables: [],
        topk: [],
        distinct: [],
        estimates: [],
      };
      const rows = await readCounters(k, manifest, maps);
      const total = (name: string): number => Number(rows.find((r) => r.name === name)?.total ?? 0n);
      for (const r of rows)
        if (!hiddenCounter(r.name)) s.counters.push({ name: r.name, value: Number(r.total) });
      for (const e of manifest.events?.records ?? [])
        s.events.push({ event: e.name, sent: total(`${e.name}.sent`), dropped: total(`${e.name}.dropped`) });
      for (const m of maps.filter((x) => x.family === "table")) {
        await k.openPinned(m.kernel_name, m.pin_path);
        s.tables.push({ table: m.name, entries: await k.count(m.kernel_name), capacity: m.max_entries });
      }
      if (stats) {
        const p = await k.send(`proginfo ${record.prog_pin}`);
        if (p.ok) s.program = { runs: Number(p.run_cnt ?? 0), seconds: Number(p.run_time_ns ?? 0) / 1e9 };
      }
      for (const x of exportsOf(nf, manifest, exports)) await exportSketch(s, x);
      out.push(s);
    }
    return out;
  } finally {
    await k.close();
  }
}

/** The author's exports of `nf` (its manifest), each replaced by the operator's `--export` of the
 *  same sketch, then the operator's others. */
export function exportsOf(
  nf: string,
  manifest: { exports?: { sketch: string; keys: string[] }[] },
  operator: readonly SketchExport[],
): SketchExport[] {
  const given = operator.filter((e) => e.nf === nf);
  const declared = (manifest.exports ?? [])
    .filter((d) => !given.some((g) => g.sketch === d.sketch))
    .map((d) => ({ nf, sketch: d.sketch, keys: d.keys }));
  return [...declared, ...given];
}

async function exportSketch(s: NfSample, x: SketchExport): Promise<void> {
  const img = await readSketch(x.nf, x.sketch);
  if (img.kind === "topk") {
    const rows = answer(img, { op: "top" }).json as { key: string; count: number }[];
    for (const r of rows) s.topk.push({ sketch: x.sketch, key: r.key, count: r.count });
  } else if (img.kind === "hll") {
    for (const g of x.keys.length > 0 ? x.keys : ["0"]) {
      const a = answer(img, { op: "count", group: g }).json as { group: number; distinct: number };
      s.distinct.push({ sketch: x.sketch, group: String(a.group), value: a.distinct });
    }
  } else
    for (const key of x.keys) {
      const a = answer(img, { op: "estimate", key }).json as { key: string; estimate: number };
      s.estimates.push({ sketch: x.sketch, key: a.key, value: a.estimate });
    }
}
