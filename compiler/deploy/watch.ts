// `nfc watch NF [--json]`: the NF's events as they arrive. The runner opens the pinned ring buffer
// (libbpf ring_buffer__new on its fd: runner/events.c) and hands over the records; each is decoded
// by the manifest's record layout (`events.records`: id first, then the fields), never by the
// source. Human lines (`12:00:01.250 blocked src=10.0.0.1 estimate=10001`) or one JSON object per
// line; the drop counters (`<event>.dropped`, ring full) are read every second and reported when
// they grow. Bounded by `max` records or `seconds` when given (tests), else until `stop()`.
import type { Layout } from "../ir/ir.js";
import type { Manifest, ManifestEvents } from "../manifest.js";
import { fromHex } from "../kernel/runner.js";
import { formatLayout, jsonLayout } from "./codec.js";
import { deployFail } from "./errors.js";
import { DeployKernel } from "./kernel.js";
import { loadedNf } from "./maps.js";
import { readCounters } from "./tables.js";

export interface WatchOptions {
  json?: boolean;
  /** Stop after this many records (default: no limit). */
  max?: number;
  /** Stop after this many seconds (default: no limit). */
  seconds?: number;
  out: (line: string) => void;
  /** Set to stop the loop (SIGINT). */
  stopped?: () => boolean;
}

export interface DecodedEvent {
  event: string;
  fields: { name: string; text: string; json: unknown }[];
}

/** Decodes one record by the manifest's layouts; undefined for an unknown id or a short record. */
export function decodeRecord(events: ManifestEvents, b: Uint8Array): DecodedEvent | undefined {
  if (b.length < 4) return undefined;
  const id = new DataView(b.buffer, b.byteOffset).getUint32(0, true);
  const r = events.records.find((x) => x.id === id);
  if (!r || b.length < r.size) return undefined;
  const fields = r.fields
    .filter((f) => f.type !== "pad" && f.name !== "__event")
    .map((f) => {
      const one: Layout = { size: r.size, ctype: "", fields: [f] };
      return { name: f.name, text: formatLayout(one, b), json: jsonLayout(one, b) };
    });
  return { event: r.name, fields };
}

export function formatEvent(e: DecodedEvent, at: Date, json: boolean): string {
  if (json)
    return JSON.stringify({
      time: at.toISOString(),
      event: e.event,
      ...Object.fromEntries(e.fields.map((f) => [f.name, f.json])),
    });
  const t = at.toISOString().slice(11, 23);
  return `${t} ${e.event}${e.fields.map((f) => ` ${f.name}=${f.text}`).join("")}`;
}

/** Watches `nf`'s events; returns the number of records printed. */
export async function watch(nf: string, o: WatchOptions): Promise<number> {
  const loaded = loadedNf(nf, "watch");
  const events = loaded.manifest.events;
  if (!events) deployFail("NF6050", { nf });
  const ring = loaded.maps.find((m) => m.name === events.map)!;
  const k = await DeployKernel.start();
  let printed = 0;
  try {
    await k.openPinned(ring.kernel_name, ring.pin_path);
    await k.must(`ringbuf ${ring.kernel_name}`, "opening the event ring buffer");
    const until = o.seconds !== undefined ? Date.now() + o.seconds * 1000 : Infinity;
    let drops = await dropCounts(k, loaded.manifest, loaded);
    let nextDrops = Date.now() + 1000;
    if (!o.json)
      o.out(`watching ${nf} (${events.records.map((r) => r.name).join(", ")}); ${dropText(drops)}`);
    while (Date.now() < until && !(o.stopped?.() ?? false) && (o.max === undefined || printed < o.max)) {
      const r = await k.must(`events ${Math.min(250, Math.max(0, until - Date.now()))}`, "reading events");
      const now = new Date();
      for (const hex of r.events as string[]) {
        if (o.max !== undefined && printed >= o.max) break;
        const e = decodeRecord(events, fromHex(hex));
        o.out(e ? formatEvent(e, now, o.json === true) : `unknown record ${hex}`);
        printed++;
      }
      if (Date.now() >= nextDrops) {
        nextDrops = Date.now() + 1000;
        const d = await dropCounts(k, loaded.manifest, loaded);
        if ([...d].some(([ev, n]) => n !== drops.get(ev)))
          o.out(o.json ? JSON.stringify({ dropped: Object.fromEntries(d) }) : dropText(d));
        drops = d;
      }
    }
    return printed;
  } finally {
    await k.close();
  }
}

/** `<event>.dropped` summed over CPUs, per event. */
async function dropCounts(
  k: DeployKernel,
  manifest: Manifest,
  nf: ReturnType<typeof loadedNf>,
): Promise<Map<string, number>> {
  const rows = await readCounters(k, manifest, nf.maps);
  const out = new Map<string, number>();
  for (const r of manifest.events?.records ?? [])
    out.set(r.name, Number(rows.find((x) => x.name === `${r.name}.dropped`)?.total ?? 0n));
  return out;
}

function dropText(d: Map<string, number>): string {
  return `dropped (ring full): ${[...d].map(([ev, n]) => `${ev} ${n}`).join(", ")}`;
}
