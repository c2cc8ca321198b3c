// Events (lang/events.ts): `event NAME { f: T, ... }` declarations, `emit NAME { f = e, ... }
// (every N)?` statements and `expect event NAME { f = v }` in tests. Events have their own
// namespace (an event may be called like a table). NF2040-NF2044, NF3040-NF3041.
import type { Arg, Decl, Stmt, TestStmt } from "../ast.js";
import type { CheckedTestStmt, EventDecl, TExpr, TStmt, Value } from "../checked.js";
import { diag } from "../diagnostics/catalogue.js";
import { EVENT_MAX_RECORD, eventRecord, sampleCounter } from "../events.js";
import type { Span } from "../span.js";
import type { Ty } from "../types.js";
import { closest, duplicateName, listNames, type Ctx } from "./context.js";
import { evalConstInt } from "./consts.js";
import { checkAt, type Env } from "./expressions.js";
import { resolveType } from "./resolve-types.js";
import { constAt } from "./user-tests-values.js";

/** Per check run: the declared events, the `every` sites (their spans, in order) and what is emitted. */
interface EventState {
  events: Map<string, EventDecl>;
  samples: Span[];
  emitted: Set<string>;
}
const states = new WeakMap<Ctx, EventState>();

function stateOf(ctx: Ctx): EventState {
  let s = states.get(ctx);
  if (!s) {
    s = { events: new Map(), samples: [], emitted: new Set() };
    states.set(ctx, s);
  }
  return s;
}

/** Resolves every `event` declaration (duplicates NF2002, field types, record size NF3041). */
export function checkEventDecls(ctx: Ctx): EventDecl[] {
  const st = stateOf(ctx);
  const out: EventDecl[] = [];
  for (const d of ctx.program.decls) {
    if (d.kind !== "event") continue;
    const first = st.events.get(d.name.name);
    if (first) {
      duplicateName(ctx, d.name.name, d.name.span, first.span);
      continue;
    }
    const ev = eventDecl(ctx, d, out.length + 1);
    if (!ev) continue;
    st.events.set(ev.name, ev);
    out.push(ev);
  }
  return out;
}

function eventDecl(ctx: Ctx, d: Decl & { kind: "event" }, id: number): EventDecl | undefined {
  const fields: { name: string; ty: Ty }[] = [];
  const seen = new Map<string, Span>();
  let ok = true;
  for (const f of d.fields) {
    const first = seen.get(f.name.name);
    if (first) {
      duplicateName(ctx, f.name.name, f.name.span, first);
      ok = false;
      continue;
    }
    seen.set(f.name.name, f.name.span);
    const ty = resolveType(ctx, f.type);
    if (ty) fields.push({ name: f.name.name, ty });
    else ok = false;
  }
  if (!ok) return undefined;
  const record = eventRecord(d.name.name, fields);
  if (record.size > EVENT_MAX_RECORD) {
    ctx.report(diag("NF3041", d.name.span, { name: d.name.name, bytes: record.size, max: EVENT_MAX_RECORD }));
    return undefined;
  }
  return { name: d.name.name, id, fields, record, span: d.name.span };
}

/** The event an `emit` / `expect event` names, or NF2040. */
function lookup(ctx: Ctx, name: { name: string; span: Span }): EventDecl | undefined {
  const st = stateOf(ctx);
  const ev = st.events.get(name.name);
  if (ev) return ev;
  const suggestion = closest(name.name, st.events.keys());
  ctx.report(
    diag("NF2040", name.span, {
      name: name.name,
      known: listNames([...st.events.keys()]),
      ...(suggestion ? { suggestion } : {}),
    }),
  );
  return undefined;
}

/** Field names of `args` checked against the event: unknown (NF2041), twice (NF2043). */
function fieldsOf(ctx: Ctx, ev: EventDecl, args: readonly Arg[]): { arg: Arg; ty: Ty }[] | undefined {
  const out: { arg: Arg; ty: Ty }[] = [];
  const seen = new Set<string>();
  let ok = true;
  for (const a of args) {
    const name = a.name!;
    const f = ev.fields.find((x) => x.name === name.name);
    if (!f) {
      ctx.report(
        diag("NF2041", name.span, {
          event: ev.name,
          field: name.name,
          fields: listNames(ev.fields.map((x) => x.name)),
        }),
      );
      ok = false;
    } else if (seen.has(name.name)) {
      ctx.report(diag("NF2043", name.span, { field: name.name }));
      ok = false;
    } else {
      seen.add(name.name);
      out.push({ arg: a, ty: f.ty });
    }
  }
  return ok ? out : undefined;
}

export function checkEmit(env: Env, s: Stmt & { kind: "emit" }): TStmt | undefined {
  const { ctx } = env;
  const st = stateOf(ctx);
  st.emitted.add(s.event.name);
  const ev = lookup(ctx, s.event);
  let every: { n: bigint; counter: string } | undefined;
  if (s.every) {
    const n = evalConstInt(ctx, s.every, "a sampling rate");
    if (n !== undefined && (n < 1n || n > 0xffffffffn)) {
      const text = String(n);
      ctx.report(diag("NF3040", s.every.span, { text }));
    } else if (n !== undefined) {
      every = { n, counter: sampleCounter(st.samples.length) };
      st.samples.push(s.span);
    }
  }
  if (!ev) return undefined;
  const given = fieldsOf(ctx, ev, s.fields);
  if (!given) return undefined;
  const missing = ev.fields.filter((f) => !given.some((g) => g.arg.name!.name === f.name));
  if (missing.length > 0) {
    ctx.report(
      diag("NF2042", s.event.span, { event: ev.name, missing: listNames(missing.map((f) => f.name)) }),
    );
    return undefined;
  }
  const fields: { name: string; value: TExpr }[] = [];
  for (const g of given) {
    const value = checkAt(env, g.arg.value, g.ty);
    if (value) fields.push({ name: g.arg.name!.name, value });
  }
  if (fields.length !== given.length || (s.every && !every)) return undefined;
  return { kind: "emit", event: ev.name, fields, ...(every ? { every } : {}), span: s.span };
}

/** NF2044 for events no `emit` names; the `every` sites' spans (for their hidden counters). */
export function finishEvents(ctx: Ctx, events: readonly EventDecl[]): Span[] {
  const st = stateOf(ctx);
  for (const e of events) if (!st.emitted.has(e.name)) ctx.report(diag("NF2044", e.span, { name: e.name }));
  return st.samples;
}

/** `expect event E { f = v }`: constant values of the fields' types (any subset of the fields). */
export function checkExpectEvent(
  ctx: Ctx,
  s: TestStmt & { kind: "expectEvent" },
  text: string,
): CheckedTestStmt | undefined {
  const ev = lookup(ctx, s.event);
  if (!ev) return undefined;
  const given = fieldsOf(ctx, ev, s.fields);
  if (!given) return undefined;
  const fields: { name: string; value: Value }[] = [];
  for (const g of given) {
    const value = constAt(ctx, g.arg.value, g.ty);
    if (value) fields.push({ name: g.arg.name!.name, value });
  }
  if (fields.length !== given.length) return undefined;
  return { kind: "expectEvent", event: ev.name, fields, text, span: s.span };
}
