// Events in the interpreter (lang/events.ts): `emit` builds the record's exact bytes (the C
// layout: u32 id, then the fields) and offers it to a model of the kernel's ring buffer — a record
// that does not fit is dropped and counted in `<event>.dropped`, as bpf_ringbuf_reserve fails in
// the kernel. The ring empties only when its reader drains it (Interpreter.drainEvents), as a user
// space consumer does; `nfc test` drains both sides after every packet.
import type { EventDecl, TStmt } from "../checked.js";
import { EVENT_ID_FIELD, EVENT_RING_BYTES, eventCounter, ringFits, ringSlot } from "../events.js";
import { decode, store, type RV } from "./layout.js";

const M64 = (1n << 64n) - 1n;

/** One record as user space reads it: the event, its field values, the record's bytes. */
export interface EmittedEvent {
  event: string;
  id: number;
  fields: Record<string, RV>;
  bytes: Uint8Array;
}

/** The ring: bytes not yet consumed and the records in it. */
export class EventRing {
  pending = 0;
  private queued: EmittedEvent[] = [];

  constructor(readonly size = EVENT_RING_BYTES) {}

  /** bpf_ringbuf_reserve + submit: false (nothing queued) when the record does not fit. */
  offer(ev: EmittedEvent): boolean {
    if (!ringFits(this.pending, ev.bytes.length, this.size)) return false;
    this.pending += ringSlot(ev.bytes.length);
    this.queued.push(ev);
    return true;
  }

  /** The consumer: every queued record, oldest first; the ring is empty afterwards. */
  drain(): EmittedEvent[] {
    const out = this.queued;
    this.queued = [];
    this.pending = 0;
    return out;
  }
}

export interface EventHost {
  events: ReadonlyMap<string, EventDecl>;
  ring: EventRing;
  counters: ReadonlyMap<string, bigint[]>;
}

/** Runs one `emit` on `cpu`; `evaluate` evaluates a field's expression. Returns the record when it
 *  went into the ring. */
export function runEmit(
  host: EventHost,
  s: TStmt & { kind: "emit" },
  cpu: number,
  evaluate: (e: (typeof s.fields)[number]["value"]) => RV,
): EmittedEvent | undefined {
  if (s.every) {
    const c = host.counters.get(s.every.counter)!;
    const n = c[cpu]!;
    c[cpu] = (n + 1n) & M64;
    if (n % s.every.n !== 0n) return undefined;
  }
  const ev = host.events.get(s.event)!;
  const values = new Map<string, RV>();
  for (const f of s.fields) values.set(f.name, evaluate(f.value)); // in the order written
  const bytes = new Uint8Array(ev.record.size);
  const fields: Record<string, RV> = {};
  for (const f of ev.record.fields) {
    if (f.name === EVENT_ID_FIELD) store(f.ty, bytes, f.offset, BigInt(ev.id));
    else {
      store(f.ty, bytes, f.offset, values.get(f.name)!);
      fields[f.name] = decode(f.ty, bytes, f.offset);
    }
  }
  const out: EmittedEvent = { event: ev.name, id: ev.id, fields, bytes };
  const ok = host.ring.offer(out);
  const c = host.counters.get(eventCounter(ev.name, ok ? "sent" : "dropped"))!;
  c[cpu] = (c[cpu]! + 1n) & M64;
  return ok ? out : undefined;
}

/** Decodes a record's bytes (from either side) by the program's events; undefined if unknown. */
export function decodeEvent(events: readonly EventDecl[], bytes: Uint8Array): EmittedEvent | undefined {
  if (bytes.length < 4) return undefined;
  const id = new DataView(bytes.buffer, bytes.byteOffset).getUint32(0, true);
  const ev = events.find((e) => e.id === id);
  if (!ev || bytes.length < ev.record.size) return undefined;
  const fields: Record<string, RV> = {};
  for (const f of ev.record.fields)
    if (f.name !== EVENT_ID_FIELD) fields[f.name] = decode(f.ty, bytes, f.offset);
  return { event: ev.name, id, fields, bytes: bytes.subarray(0, ev.record.size) };
}
