// Events: records an NF sends to user space through one BPF ring buffer (docs/LANGUAGE.md
// "Events"). The shared facts the checker, the interpreter and the compiler agree on: the record
// layout (a u32 event id, then the declared fields in C's natural layout), the ring's size and how
// the kernel decides a record does not fit, and the hidden per-CPU counters each event and each
// sampled `emit ... every N` site keep in the NF's counter block.
import type { CounterDecl } from "./checked.js";
import { structTy, U32, type Ty } from "./types.js";

/** Bytes of the ring buffer (BPF_MAP_TYPE_RINGBUF max_entries: a power of two, page multiple). */
export const EVENT_RING_BYTES = 256 * 1024;
/** Largest record (id + fields) an event may declare (NF3041). */
export const EVENT_MAX_RECORD = 512;
/** The record's first member: the event's id (1-based, declaration order). */
export const EVENT_ID_FIELD = "__event";
/** The kernel's per-record header in the ring (BPF_RINGBUF_HDR_SZ). */
export const RING_HDR = 8;

/** The record layout of an event: `{ u32 __event; <fields> }`, natural alignment. */
export function eventRecord(
  name: string,
  fields: readonly { name: string; ty: Ty }[],
): Ty & { kind: "struct" } {
  return structTy(`event ${name}`, [{ name: EVENT_ID_FIELD, ty: U32 }, ...fields]);
}

/** Bytes a record of `size` takes in the ring: header + size, rounded up to 8 (kernel ringbuf.c). */
export function ringSlot(size: number): number {
  return Math.ceil((size + RING_HDR) / 8) * 8;
}

/** Whether a record of `size` still fits when `pending` bytes are unconsumed: the kernel refuses
 *  when the new producer position would be more than `mask` (= size - 1) past the consumer's. */
export function ringFits(pending: number, size: number, ringBytes = EVENT_RING_BYTES): boolean {
  return pending + ringSlot(size) <= ringBytes - 1;
}

/** Hidden counter names: `<event>.sent`, `<event>.dropped` (ring full), `every.<site>`. A `.` is
 *  never in a user's name, so they never meet the user's counters. */
export const eventCounter = (event: string, what: "sent" | "dropped"): string => `${event}.${what}`;
export const sampleCounter = (site: number): string => `every.${site}`;

/** What a hidden counter counts (undefined for a user's counter). */
export function hiddenCounter(
  name: string,
): { kind: "sent" | "dropped"; event: string } | { kind: "sample"; site: number } | undefined {
  const dot = name.lastIndexOf(".");
  if (dot < 0) return undefined;
  const [head, tail] = [name.slice(0, dot), name.slice(dot + 1)];
  if (head === "every" && /^[0-9]+$/.test(tail)) return { kind: "sample", site: Number(tail) };
  return tail === "sent" || tail === "dropped" ? { kind: tail, event: head } : undefined;
}

/** The hidden counters of a program's events, after the user's (indexes continue theirs). */
export function eventCounters(
  user: readonly CounterDecl[],
  events: readonly { name: string; span: CounterDecl["span"] }[],
  samples: readonly CounterDecl["span"][],
): CounterDecl[] {
  const out: CounterDecl[] = [...user];
  const add = (name: string, span: CounterDecl["span"]): void => {
    out.push({ name, index: out.length, span });
  };
  for (const e of events) {
    add(eventCounter(e.name, "sent"), e.span);
    add(eventCounter(e.name, "dropped"), e.span);
  }
  samples.forEach((span, i) => add(sampleCounter(i), span));
  return out;
}
