// Events (lang/events.ts) → one BPF_MAP_TYPE_RINGBUF map and a struct per event. `emit E { ... }`
// evaluates its fields in the order written (into temporaries), then reserves a record: when the
// ring has room it zeroes it, fills the id and the fields, submits it and counts `E.sent`; when it
// is full it counts `E.dropped` — the packet goes on either way (never blocks, never fails).
// `every N` reads the site's per-CPU count in the counter block (through the pointer the
// counter-hoist pass looks up once per packet), counts, and emits when the count was a multiple
// of N. The counters are in the counter block (lower/counters.ts), named by counterMember().
import type { CheckedProgram, TStmt } from "../../lang/checked.js";
import { EVENT_ID_FIELD, EVENT_RING_BYTES, eventCounter } from "../../lang/events.js";
import { sizeOf, U32 } from "../../lang/types.js";
import { addMap } from "../blocks/common.js";
import {
  assign,
  bin,
  call,
  cmp,
  decl,
  deref,
  evalStmt,
  ifStmt,
  int,
  mapref,
  member,
  v,
} from "../ir/build.js";
import { C_U32, C_U64, C_VOID, cDecl, ptrTo, type CType } from "../ir/ctype.js";
import type { IExpr, IrEvent, IStmt } from "../ir/ir.js";
import { counterMember, member as cMember } from "../names/allocator.js";
import type { Lowerer } from "./context.js";
import { lowerExpr } from "./expressions.js";
import { layoutOf } from "./types.js";

const tags = new WeakMap<Lowerer, Map<string, CType>>();

/** The ring map and one struct per event; the manifest's event layouts. */
export function declareEvents(cx: Lowerer): IrEvent[] {
  const events = cx.prog.events ?? [];
  if (events.length === 0) return [];
  const structs = new Map<string, CType>();
  tags.set(cx, structs);
  const out: IrEvent[] = [];
  for (const ev of events) {
    const tag = cx.names.genTag(`event:${ev.name}`, `ev_${ev.name}`);
    const fields: { name: string; decl: string }[] = [];
    let at = 0;
    let pad = 0;
    for (const f of ev.record.fields) {
      if (f.offset > at) fields.push({ name: `__pad${pad}`, decl: `__u8 __pad${pad++}[${f.offset - at}]` });
      const m = f.name === EVENT_ID_FIELD ? EVENT_ID_FIELD : cMember(f.name);
      fields.push({ name: m, decl: cDecl(cx.cty(f.ty), m) });
      at = f.offset + sizeOf(f.ty);
    }
    if (ev.record.size > at)
      fields.push({ name: `__pad${pad}`, decl: `__u8 __pad${pad}[${ev.record.size - at}]` });
    cx.structs.set(tag, { name: tag, fields, packed: false, size: ev.record.size, span: ev.span });
    structs.set(ev.name, { kind: "struct", name: tag, size: ev.record.size, align: ev.record.align });
    const layout = layoutOf(ev.record, `struct ${tag}`, "record");
    out.push({ name: ev.name, id: ev.id, layout, span: ev.span });
  }
  const ring = addMap(
    cx,
    ringName(cx.prog),
    events[0]!,
    {
      kind: "ringbuf",
      family: "opaque",
      mapType: "BPF_MAP_TYPE_RINGBUF",
      key: C_U32,
      keyTy: U32,
      value: C_U32,
      valueTy: U32,
      maxEntries: EVENT_RING_BYTES,
      perCpu: false,
      params: { structure: "events" },
    },
    "events",
  );
  ring.keyLayout = { size: 0, ctype: "", fields: [] };
  ring.valueLayout = { size: 0, ctype: "", fields: [] };
  return out;
}

/** The ring's manifest name: `events`, unless a structure of the program is called that. */
export function ringName(prog: CheckedProgram): string {
  const taken = new Set(prog.states.map((s) => s.name));
  let name = "events";
  for (let i = 1; taken.has(name); i++) name = `events_${i}`;
  return name;
}

/** The counter block pointer (the counter-hoist pass declares it under the same allocator key). */
function counterPtr(cx: Lowerer, span: IExpr["span"]): IExpr {
  const m = cx.maps.find((x) => x.family === "counter")!;
  return v(cx.names.gen("cnt", "counters-ptr"), ptrTo(m.value), span);
}

export function lowerEmit(cx: Lowerer, s: TStmt & { kind: "emit" }, out: IStmt[]): void {
  const span = s.span;
  if (!s.every) {
    emitRecord(cx, s, out);
    return;
  }
  const p = counterPtr(cx, span);
  const now = cx.tmp("smp");
  out.push(decl(now, C_U64, span, member(deref(p, span), counterMember(s.every.counter), C_U64, span)));
  out.push({ kind: "counter", name: s.every.counter, value: int(1, C_U64, span), span });
  const hit = cmp(
    "==",
    bin("%", v(now, C_U64, span), int(s.every.n, C_U64, span), C_U64, span),
    int(0, C_U64, span),
    span,
  );
  const body: IStmt[] = [];
  emitRecord(cx, s, body);
  out.push(ifStmt(hit, body, [], span));
}

function emitRecord(cx: Lowerer, s: TStmt & { kind: "emit" }, out: IStmt[]): void {
  const span = s.span;
  const ev = cx.prog.events!.find((e) => e.name === s.event)!;
  const sty = tags.get(cx)!.get(ev.name)!;
  const values = new Map<string, IExpr>();
  // Every value is read into a temporary where it is written, so a field that reads through a
  // pointer (a table value, a scratch local) reads it before the later fields run: the later ones
  // cannot change what is sent, and the pointer need not live across them — a table lookup's
  // pointer kept across a later cuckoo scan multiplied the verifier's states (F28).
  for (const f of s.fields) values.set(f.name, copied(cx, lowerExpr(cx, f.value, out), out));
  const ring = cx.maps.find((m) => m.mapType === "BPF_MAP_TYPE_RINGBUF")!;
  const rec = v(cx.tmp("ev"), ptrTo(sty), span);
  out.push(
    decl(
      rec.kind === "var" ? rec.name : "",
      ptrTo(sty),
      span,
      call(
        "bpf_ringbuf_reserve",
        [mapref(ring.symbol, span), int(ev.record.size, C_U32, span), int(0, C_U64, span)],
        ptrTo(sty),
        span,
      ),
    ),
  );
  const fill: IStmt[] = [
    evalStmt(
      call("__builtin_memset", [rec, int(0, C_U32, span), int(ev.record.size, C_U32, span)], C_VOID, span),
      span,
    ),
    assign(member(deref(rec, span), EVENT_ID_FIELD, C_U32, span), int(ev.id, C_U32, span), span),
  ];
  for (const f of ev.fields)
    fill.push(
      assign(member(deref(rec, span), cMember(f.name), cx.cty(f.ty), span), values.get(f.name)!, span),
    );
  fill.push(evalStmt(call("bpf_ringbuf_submit", [rec, int(0, C_U64, span)], C_VOID, span), span));
  fill.push(count(eventCounter(ev.name, "sent"), span));
  out.push(ifStmt(rec, fill, [count(eventCounter(ev.name, "dropped"), span)], span));
}

const copied = (cx: Lowerer, e: IExpr, out: IStmt[]): IExpr =>
  e.kind === "int" || e.kind === "bool" || e.kind === "var" ? e : cx.temp(e, out);

const count = (name: string, span: IExpr["span"]): IStmt => ({
  kind: "counter",
  name,
  value: int(1, C_U64, span),
  span,
});
