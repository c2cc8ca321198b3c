// The handler evaluator: runs a CheckedProgram's `on packet` statements over one parsed packet.
// Locals live as C memory bytes (layout.ts), so struct fields, indexing and map-value references
// are all "a place in a buffer". Control flow returns a Flow instead of throwing.
import type { LocalSym, LValue, PayloadOp, TCond, TExpr, TStmt } from "../checked.js";
import type { HeaderDef } from "../headers.js";
import { nfHash64 } from "../hash.js";
import { assertNever, FLOW5, U8, type Ty } from "../types.js";
import { readField, writeField, type FieldCtx } from "./fields.js";
import { binary, cast, minMax, unary } from "./ints.js";
import {
  asBool,
  asBytes,
  asInt,
  bigEndianField,
  dataTy,
  decode,
  encode,
  fromValue,
  store,
  type RV,
} from "./layout.js";
import type { Parsed } from "./parse.js";
import { runOp, type StateStores } from "./ops.js";
import { payloadOp } from "./payload.js";
import { runEmit, type EmittedEvent } from "./events.js";

export type Verdict = "pass" | "drop" | "tx" | "redirect";
export type Flow = undefined | { kind: "break" } | { kind: "verdict"; verdict: Verdict; ifindex?: number };

export interface RunMeta {
  cpu: number;
  nowNs: bigint;
  ifindex: number;
}

type Place =
  | { kind: "mem"; buf: Uint8Array; off: number; ty: Ty; be: boolean }
  | { kind: "hfield"; header: string; field: string }
  | { kind: "hindex"; header: string; field: string; index: number }
  | { kind: "counter"; name: string }
  | { kind: "nowhere" }; // an out-of-range index: the write does nothing

const M64 = (1n << 64n) - 1n;

export class Frame implements FieldCtx {
  private readonly locals = new Map<number, Uint8Array>();
  private readonly headerOf = new Map<number, string>();
  /** The last `set_tstamp(ns)` of this packet (skb->tstamp), reported in RunResult. */
  tstamp: bigint | undefined;
  /** Records this packet put into the ring buffer (RunResult.events). */
  readonly emitted: EmittedEvent[] = [];

  constructor(
    public pkt: Uint8Array,
    readonly parsed: Parsed,
    readonly meta: RunMeta,
    readonly state: StateStores,
    readonly configs: ReadonlyMap<string, RV>,
    readonly userHeaders: readonly HeaderDef[],
  ) {}

  block(stmts: readonly TStmt[]): Flow {
    for (const s of stmts) {
      const f = this.stmt(s);
      if (f) return f;
    }
    return undefined;
  }

  private stmt(s: TStmt): Flow {
    switch (s.kind) {
      case "let":
        this.bindValue(s.sym, s.value);
        return undefined;
      case "bind":
        return this.bindSource(s.sym, s.source) ? undefined : this.block(s.else);
      case "assign":
        this.assign(s.target, s.op, s.value);
        return undefined;
      case "if":
        return this.cond(s.cond) ? this.block(s.then) : this.block(s.else);
      case "match": {
        const v = asInt(this.expr(s.scrutinee));
        for (const arm of s.arms) {
          const hit = arm.patterns.some((p) =>
            p.kind === "wildcard" ? true : p.kind === "value" ? v === p.value : v >= p.lo && v < p.hi,
          );
          if (hit) return this.block(arm.body);
        }
        return undefined;
      }
      case "for":
        for (let i = s.lo; i < s.hi; i++) {
          this.locals.set(s.sym.id, encode(s.sym.ty, i));
          const f = this.block(s.body);
          if (f?.kind === "break") break;
          if (f) return f;
        }
        return undefined;
      case "repeat":
        for (let i = 0n; i < s.count; i++) {
          const f = this.block(s.body);
          if (f?.kind === "break") break;
          if (f) return f;
        }
        return undefined;
      case "break":
        return { kind: "break" };
      case "expr":
        this.expr(s.expr);
        return undefined;
      case "verdict":
        return { kind: "verdict", verdict: s.verdict };
      case "emit": {
        const ev = runEmit(this.state, s, this.meta.cpu, (e) => this.expr(e));
        if (ev) this.emitted.push(ev);
        return undefined;
      }
      case "redirect":
        return {
          kind: "verdict",
          verdict: "redirect",
          ifindex: Number(asInt(this.expr(s.ifindex)) & 0xffffffffn),
        };
      default:
        return assertNever(s);
    }
  }

  /** `let`/`var`: a copy of the value (a `let` of a bound map value copies it, as C does). */
  private bindValue(sym: LocalSym, value: TExpr): void {
    if (value.kind === "header") {
      this.headerOf.set(sym.id, value.header);
      return;
    }
    this.locals.set(sym.id, encode(sym.ty, this.expr(value)));
  }

  /** `let x = header | option`: binds x and returns true when present. */
  private bindSource(sym: LocalSym, source: TExpr): boolean {
    if (source.kind === "header") {
      if (!this.parsed.at.has(source.header)) return false;
      this.headerOf.set(sym.id, source.header);
      return true;
    }
    if (source.kind === "local" && this.headerOf.has(source.sym.id)) {
      this.headerOf.set(sym.id, this.headerOf.get(source.sym.id)!);
      return true;
    }
    const ref = this.option(source);
    if (!ref) return false;
    this.locals.set(sym.id, ref);
    return true;
  }

  private option(e: TExpr): Uint8Array | undefined {
    if (e.kind !== "op") throw new Error(`interp: optional value from a \`${e.kind}\` expression`);
    const r = runOp(this, e.state, e.op, e.args);
    return r instanceof Uint8Array ? r : undefined;
  }

  private cond(c: TCond): boolean {
    return c.kind === "expr" ? asBool(this.expr(c.expr)) : this.bindSource(c.sym, c.source);
  }

  private assign(target: LValue, op: string, value: TExpr): void {
    const v = this.expr(value);
    const p = this.place(target);
    if (op === "=") return this.write(p, target.ty, v);
    const bop = op.slice(0, -1) as Parameters<typeof binary>[0];
    if (p.kind === "counter") {
      if (bop !== "+") throw new Error(`interp: counter \`${p.name}\` only supports +=`);
      const c = this.state.counters.get(p.name)!;
      c[this.meta.cpu] = (c[this.meta.cpu]! + asInt(v)) & M64;
      return;
    }
    this.write(p, target.ty, binary(bop, dataTy(target.ty), this.read(p, target.ty), v));
  }

  private place(lv: LValue): Place {
    switch (lv.kind) {
      case "local": {
        const buf = this.locals.get(lv.sym.id);
        if (!buf) throw new Error(`interp: assignment to unbound local \`${lv.sym.name}\``);
        return { kind: "mem", buf, off: 0, ty: dataTy(lv.sym.ty), be: false };
      }
      case "hfield":
        return { kind: "hfield", header: lv.header, field: lv.field };
      case "field": {
        if (lv.base.kind === "local" && this.headerOf.has(lv.base.sym.id)) {
          return { kind: "hfield", header: this.headerOf.get(lv.base.sym.id)!, field: lv.field };
        }
        const base = this.place(lv.base);
        if (base.kind !== "mem") throw new Error(`interp: field \`${lv.field}\` of a non-struct place`);
        const st = dataTy(base.ty);
        if (st.kind !== "struct") throw new Error(`interp: field \`${lv.field}\` of ${st.kind}`);
        const f = st.fields.find((x) => x.name === lv.field)!;
        return {
          kind: "mem",
          buf: base.buf,
          off: base.off + f.offset,
          ty: f.ty,
          be: bigEndianField(st, f.name),
        };
      }
      case "index": {
        const base = this.place(lv.base);
        const i = asInt(this.expr(lv.index));
        const len = byteLen(lv.base.ty);
        if (i >= BigInt(len)) return { kind: "nowhere" };
        if (base.kind === "mem")
          return { kind: "mem", buf: base.buf, off: base.off + Number(i), ty: U8, be: false };
        if (base.kind === "hfield")
          return { kind: "hindex", header: base.header, field: base.field, index: Number(i) };
        throw new Error("interp: index into a non-byte place");
      }
      case "counter":
        return { kind: "counter", name: lv.name };
      default:
        return assertNever(lv);
    }
  }

  private read(p: Place, ty: Ty): RV {
    switch (p.kind) {
      case "mem":
        return decode(p.ty, p.buf, p.off, p.be);
      case "hfield":
        return readField(this, p.header, p.field);
      case "hindex":
        return BigInt(asBytes(readField(this, p.header, p.field))[p.index]!);
      case "counter":
        return this.state.counters.get(p.name)![this.meta.cpu]!;
      case "nowhere":
        return ty.kind === "int" ? 0n : false;
      default:
        return assertNever(p);
    }
  }

  private write(p: Place, _ty: Ty, v: RV): void {
    switch (p.kind) {
      case "mem":
        store(p.ty, p.buf, p.off, v, p.be);
        return;
      case "hfield":
        writeField(this, p.header, p.field, v);
        return;
      case "hindex": {
        const cur = asBytes(readField(this, p.header, p.field)).slice();
        cur[p.index] = Number(asInt(v) & 0xffn);
        writeField(this, p.header, p.field, cur);
        return;
      }
      case "counter":
        this.state.counters.get(p.name)![this.meta.cpu] = asInt(v) & M64;
        return;
      case "nowhere":
        return;
      default:
        return assertNever(p);
    }
  }

  expr(e: TExpr): RV {
    switch (e.kind) {
      case "lit":
        return fromValue(e.ty, e.value);
      case "local": {
        if (this.headerOf.has(e.sym.id))
          throw new Error(`interp: header binding \`${e.sym.name}\` used as a value`);
        const buf = this.locals.get(e.sym.id);
        if (!buf) throw new Error(`interp: read of unbound local \`${e.sym.name}\``);
        return decode(dataTy(e.sym.ty), buf, 0);
      }
      case "config": {
        const v = this.configs.get(e.name);
        if (v === undefined) throw new Error(`interp: unknown config \`${e.name}\``);
        return v instanceof Uint8Array ? v.slice() : v;
      }
      case "header":
        return this.parsed.at.has(e.header);
      case "hfield":
        return readField(this, e.header, e.field);
      case "field":
        return this.fieldRead(e.base, e.field);
      case "index": {
        const b = asBytes(this.expr(e.base));
        const i = asInt(this.expr(e.index));
        return i < BigInt(b.length) ? BigInt(b[Number(i)]!) : 0n;
      }
      case "binary": {
        if (e.op === "&&") return asBool(this.expr(e.left)) ? asBool(this.expr(e.right)) : false;
        if (e.op === "||") return asBool(this.expr(e.left)) ? true : asBool(this.expr(e.right));
        const l = this.expr(e.left);
        const r = this.expr(e.right);
        return binary(e.op, dataTy(e.left.ty), l, r);
      }
      case "unary":
        return unary(e.op, dataTy(e.ty), this.expr(e.operand));
      case "cast":
        return cast(e.expr.ty, e.ty, this.expr(e.expr));
      case "builtin":
        return this.builtin(e);
      case "op": {
        const r = runOp(this, e.state, e.op, e.args);
        return r ?? false;
      }
      case "struct": {
        const st = dataTy(e.ty);
        if (st.kind !== "struct") throw new Error("interp: struct literal of a non-struct type");
        const buf = new Uint8Array(st.size);
        for (const fv of e.fields) {
          const f = st.fields.find((x) => x.name === fv.name)!;
          store(f.ty, buf, f.offset, this.expr(fv.value), bigEndianField(st, f.name));
        }
        return buf;
      }
      default:
        return assertNever(e);
    }
  }

  private fieldRead(base: TExpr, field: string): RV {
    if (base.kind === "local" && this.headerOf.has(base.sym.id))
      return readField(this, this.headerOf.get(base.sym.id)!, field);
    if (base.kind === "header" || base.ty.kind === "header") {
      const name = base.kind === "header" ? base.header : (base.ty as { name: string }).name;
      return readField(this, name, field);
    }
    const st = dataTy(base.ty);
    if (st.kind !== "struct") throw new Error(`interp: field \`${field}\` of ${st.kind}`);
    const f = st.fields.find((x) => x.name === field)!;
    return decode(f.ty, asBytes(this.expr(base)), f.offset, bigEndianField(st, f.name));
  }

  private builtin(e: TExpr & { kind: "builtin" }): RV {
    switch (e.name) {
      case "now_ns":
        return this.meta.nowNs & M64;
      case "pkt_len":
        return BigInt(this.pkt.length);
      case "cpu":
        return BigInt(this.meta.cpu);
      case "flow5":
        return flow5Of(this.pkt, this.parsed);
      case "min":
      case "max":
        return minMax(e.name, this.expr(e.args[0]!), this.expr(e.args[1]!));
      case "hash": {
        const a = e.args[0]!;
        return nfHash64(encode(dataTy(a.ty), this.expr(a)), 0n);
      }
      case "set_tstamp":
        this.tstamp = asInt(this.expr(e.args[0]!)) & M64;
        return 0n;
      default:
        return this.payload(e);
    }
  }

  private payload(e: TExpr & { kind: "builtin" }): RV {
    const name = e.name;
    if (!name.startsWith("payload_")) throw new Error(`interp: unknown builtin \`${name}\``);
    const args = e.args.map((a, i) => {
      const v = this.expr(a);
      // a written integer goes on the wire big-endian, in its own width
      if (name === "payload_write" && i === 1 && a.ty.kind === "int") {
        const n = a.ty.bits / 8;
        const out = new Uint8Array(n);
        for (let k = 0; k < n; k++) out[k] = Number((asInt(v) >> BigInt(8 * (n - 1 - k))) & 0xffn);
        return out;
      }
      return v;
    });
    const len = e.ty.kind === "bytes" ? e.ty.len : 0;
    return payloadOp(this, name as PayloadOp, args, len);
  }
}

function byteLen(t: Ty): number {
  const d = dataTy(t);
  return d.kind === "bytes" ? d.len : d.kind === "ip4" ? 4 : d.kind === "ip6" ? 16 : d.kind === "mac" ? 6 : 0;
}

/** flow5(): the IPv4 5-tuple in its C layout (ports big-endian, 0 unless tcp/udp is present). */
export function flow5Of(pkt: Uint8Array, parsed: Parsed): Uint8Array {
  const ip = parsed.at.get("ipv4");
  if (ip === undefined) throw new Error("interp: flow5() without ipv4 (checker bug)");
  const out = new Uint8Array(FLOW5.size);
  out.set(pkt.subarray(ip + 12, ip + 20), 0);
  const l4 = parsed.at.get("tcp") ?? parsed.at.get("udp");
  if (l4 !== undefined) out.set(pkt.subarray(l4, l4 + 4), 8);
  out[12] = pkt[ip + 9]!;
  return out;
}
