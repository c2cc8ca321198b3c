// Event streams in the differential test (lang/events.ts): after every packet both sides' ring
// buffers are drained (the runner's `run` reply carries the kernel's records; the interpreter's
// RunResult.events are its own) and compared in order, byte for byte (the records are zeroed
// before they are filled, so padding compares too). A difference names the packet, the position
// in its stream and both records, decoded by the program's event declarations.
import type { EventDecl, Value } from "../../lang/checked.js";
import { decodeEvent, type EmittedEvent } from "../../lang/interp/index.js";
import { valueMatches } from "../../lang/interp/layout.js";
import { toHex } from "../kernel/runner.js";
import type { Manifest } from "../manifest.js";

/** The ring buffer map's C symbol (what the runner finds it by), or undefined without events. */
export function ringSymbol(manifest: Manifest): string | undefined {
  const name = manifest.events?.map;
  return name === undefined ? undefined : manifest.maps.find((m) => m.name === name)?.symbol;
}

/** `blocked { src = 10.0.0.1, estimate = 7 }`, or the hex of a record no event decodes. */
export function describeEvent(events: readonly EventDecl[], bytes: Uint8Array): string {
  const ev = decodeEvent(events, bytes);
  if (!ev) return `record ${toHex(bytes)}`;
  const fields = Object.entries(ev.fields).map(([k, v]) => `${k} = ${showValue(v)}`);
  return `${ev.event} { ${fields.join(", ")} }`;
}

function showValue(v: EmittedEvent["fields"][string]): string {
  if (typeof v === "bigint") return v.toString();
  if (typeof v === "boolean") return String(v);
  return v.length === 4 ? [...v].join(".") : toHex(v);
}

/** Differences between the kernel's records and the interpreter's for one packet (in order). */
export function diffEvents(
  events: readonly EventDecl[],
  kernel: readonly Uint8Array[],
  interp: readonly EmittedEvent[],
): string[] {
  const out: string[] = [];
  const n = Math.max(kernel.length, interp.length);
  for (let i = 0; i < n; i++) {
    const k = kernel[i];
    const e = interp[i];
    if (k && e && toHex(k) === toHex(e.bytes)) continue;
    const ks = k ? describeEvent(events, k) : "nothing";
    const is = e ? describeEvent(events, e.bytes) : "nothing";
    out.push(`event ${i + 1} of ${n}: kernel ${ks}, interpreter ${is}`);
    break; // the rest of the stream is shifted: one difference per packet
  }
  return out;
}

/** `expect event E { f = v }`: the position of the first record in `queue` that is an E with these
 *  field values (unlisted fields: any), or -1. */
export function findExpected(
  events: readonly EventDecl[],
  queue: readonly Uint8Array[],
  want: { event: string; fields: readonly { name: string; value: Value }[] },
): number {
  return queue.findIndex((bytes) => {
    const ev = decodeEvent(events, bytes);
    return ev?.event === want.event && want.fields.every((f) => valueMatches(ev.fields[f.name]!, f.value));
  });
}
