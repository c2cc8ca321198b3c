// CheckedProgram: the checker's output and the ONLY thing the compiler and the reference
// interpreter consume. Every name is resolved, every expression typed, constants folded to values,
// every node keeps its span. If the checker accepted a program, lowering must not fail on it.
import type { AssignOp, BinaryOp, Hook, UnaryOp } from "./ast.js";
import type { HeaderDef } from "./headers.js";
import type { Span } from "./span.js";
import type { Ty } from "./types.js";
import type { KindName } from "./blocks/index.js";

/** A compile-time value. Addresses and byte arrays are bytes in network (memory) order. */
export type Value =
  | { kind: "int"; v: bigint }
  | { kind: "bool"; v: boolean }
  | { kind: "bytes"; v: number[] } // ip4, ip6, mac, bytes[N]
  | { kind: "struct"; fields: Record<string, Value> };

/** A local variable or binding. `id` is unique in the program (use it for C names: `name_id`). */
export interface LocalSym {
  id: number;
  name: string;
  ty: Ty;
  mutable: boolean;
  span: Span;
  /** What a `let x = <header or option>` bound: x aliases the header / map value. */
  binds?: { kind: "header"; header: string } | { kind: "value" };
}

// ---------- state ----------

/** A declared structure (table, sketch, queue). `params` are resolved and validated by the block's
 *  registry entry (lang/blocks); derived sizes (e.g. width from epsilon) are filled in there. */
export interface StateDecl {
  name: string;
  family: "table" | "sketch" | "queue";
  kind: KindName; // registry name: array, hash, lru, lpm, count_min, bloom, ...
  key: Ty;
  value?: Ty; // tables only
  params: Record<string, number | boolean>; // e.g. { capacity: 65536, per_cpu: false } or { rows: 4, width: 65536 }
  /** Sketches the author exports (`export` arguments): the keys / hll groups as text, [] for a topk. */
  exported?: string[];
  span: Span;
}

export interface CounterDecl {
  name: string;
  /** Index in the per-CPU counter block (declaration order). */
  index: number;
  span: Span;
}

/** An `event` (lang/events.ts): id = 1-based declaration order; `record` = `{ u32 __event; fields }`. */
export interface EventDecl {
  name: string;
  id: number;
  fields: { name: string; ty: Ty }[];
  record: Ty & { kind: "struct" };
  span: Span;
}

export interface ConstDecl {
  name: string;
  ty: Ty;
  value: Value;
  span: Span;
}

export interface ConfigDecl {
  name: string;
  ty: Ty;
  default: Value;
  span: Span;
}

export interface ParseExt {
  after: string; // header name
  field: string;
  value: Value;
  header: string; // user header parsed next
  span: Span;
}

// ---------- expressions ----------

export type TExpr = { ty: Ty; span: Span } & (
  | { kind: "lit"; value: Value }
  | { kind: "local"; sym: LocalSym }
  | { kind: "config"; name: string }
  | { kind: "header"; header: string } // a header used as a present-or-absent value (let-else / if-let)
  | { kind: "hfield"; header: string; field: string } // read of a header field (header proven present)
  | { kind: "field"; base: TExpr; field: string } // struct field: local struct, map value ref, flow5
  | { kind: "index"; base: TExpr; index: TExpr } // bytes[N][i] -> u8; out of range reads 0
  | { kind: "binary"; op: BinaryOp; left: TExpr; right: TExpr } // operands already converted to a common type
  | { kind: "unary"; op: UnaryOp; operand: TExpr }
  | { kind: "cast"; expr: TExpr } // conversion to `ty` (truncate / zero-extend / ip4<->u32 byte order)
  | {
      kind: "builtin";
      name: "now_ns" | "pkt_len" | "cpu" | "flow5" | "min" | "max" | "hash" | "set_tstamp" | PayloadOp;
      args: TExpr[];
      /** Payload writes and resizes: the headers proven present there (the back end re-parses
       *  after the packet changed and must find them again). */
      present?: string[];
    }
  | { kind: "op"; state: string; op: string; args: TExpr[] } // state.op(args); ty is the op's result
  | { kind: "struct"; fields: { name: string; value: TExpr }[] } // struct literal, ty is the struct
);

/** `payload.OP(...)` (lang/check/payload.ts, docs/LANGUAGE.md "Payload"). Arguments, in order:
 *  len []; u8/u16/u32 [off]; starts_with [bytes literal, off]; find [byte, from, N (constant)];
 *  slice [off, len] (ty bytes[N]); write [off, value, len]; resize [n]. */
export type PayloadOp =
  | "payload_len"
  | "payload_u8"
  | "payload_u16"
  | "payload_u32"
  | "payload_starts_with"
  | "payload_find"
  | "payload_slice"
  | "payload_write"
  | "payload_resize";

// ---------- statements ----------

export type LValue = { ty: Ty; span: Span } & (
  | { kind: "local"; sym: LocalSym }
  | { kind: "hfield"; header: string; field: string }
  | { kind: "field"; base: LValue; field: string } // field of a local struct or of a bound map value
  | { kind: "index"; base: LValue; index: TExpr }
  | { kind: "counter"; name: string } // only with op "+="
);

export type TCond = { kind: "expr"; expr: TExpr } | { kind: "bind"; sym: LocalSym; source: TExpr }; // source.ty is header or option

export type TPattern =
  | { kind: "value"; value: bigint }
  | { kind: "range"; lo: bigint; hi: bigint } // hi exclusive
  | { kind: "wildcard" };

export type TStmt = { span: Span } & (
  | { kind: "let"; sym: LocalSym; value: TExpr } // let / var with a plain value
  | { kind: "bind"; sym: LocalSym; source: TExpr; else: TStmt[] } // let x = hdr|option else { ...verdict }
  | { kind: "assign"; target: LValue; op: AssignOp; value: TExpr } // value already converted to target.ty
  | { kind: "if"; cond: TCond; then: TStmt[]; else: TStmt[] }
  | { kind: "match"; scrutinee: TExpr; arms: { patterns: TPattern[]; body: TStmt[]; span: Span }[] }
  | { kind: "for"; sym: LocalSym; lo: bigint; hi: bigint; body: TStmt[] }
  | { kind: "repeat"; count: bigint; body: TStmt[] }
  | { kind: "break" }
  | { kind: "expr"; expr: TExpr }
  | { kind: "verdict"; verdict: "pass" | "drop" | "tx" }
  | { kind: "redirect"; ifindex: TExpr }
  /** `emit E { f = e, ... }`: fields in the order written (evaluated so), each at its declared
   *  type; `every`: emitted when this site's per-CPU counter `sample` % n == 0, then counted. */
  | {
      kind: "emit";
      event: string;
      fields: { name: string; value: TExpr }[];
      every?: { n: bigint; counter: string };
    }
);

// ---------- user tests (lang/check/user-tests.ts, run by compiler/difftest/usertests.ts) ----------

/** One packet layer as written: builder name and its given fields (missing ones are defaulted
 *  by the packet builder). `hex` layers carry raw bytes, `payload` a length of zero bytes. */
export type TestLayer =
  | { kind: "eth" | "vlan" | "ipv4" | "ipv6" | "tcp" | "udp" | "icmp"; fields: Record<string, Value> }
  | { kind: "payload"; len: number }
  | { kind: "hex"; bytes: number[] };

/** A test expectation. `query` reads the state (`contains`/`get`/`estimate`); `get` on an absent
 *  key yields "absent": comparisons with it are false (`!=` true) and a bare absent is false. */
export type TestExpr = { ty: Ty; span: Span } & (
  | { kind: "lit"; value: Value }
  | { kind: "counter"; name: string } // total over CPUs
  | { kind: "query"; state: string; op: "contains" | "get" | "estimate"; key: Value }
  /** A read-only operation of a plug-in kind (lang/interp/kinds), evaluated on the state. */
  | { kind: "read"; state: string; op: string; args: { ty: Ty; value: Value }[] }
  | { kind: "field"; base: TestExpr; field: string }
  | { kind: "binary"; op: BinaryOp; left: TestExpr; right: TestExpr } // operands at one type
  | { kind: "unary"; op: UnaryOp; operand: TestExpr }
);

export type TestVerdictValue = { verdict: "pass" | "drop" | "tx" } | { verdict: "redirect"; ifindex: number };

export type CheckedTestStmt = { span: Span } & (
  | { kind: "config"; name: string; value: Value }
  | { kind: "entry"; table: string; key: Value; prefixLen?: number; value: Value }
  | { kind: "packet"; layers: TestLayer[]; expect?: TestVerdictValue; output?: TestLayer[] } // output: the expected output packet
  | { kind: "repeat"; count: number; body: CheckedTestStmt[] }
  | { kind: "expect"; expr: TestExpr; text: string }
  /** `expect event E { f = v }`: an event E not matched before, with these field values. */
  | { kind: "expectEvent"; event: string; fields: { name: string; value: Value }[]; text: string }
);

export interface CheckedTest {
  name: string;
  body: CheckedTestStmt[];
  span: Span;
}

// ---------- the program ----------

export interface CheckedProgram {
  file: string;
  name: string;
  hook: Hook;
  span: Span;
  consts: ConstDecl[];
  configs: ConfigDecl[];
  /** User struct types (Ty kind "struct"), in declaration order. */
  types: (Ty & { kind: "struct" })[];
  /** User headers (builtin: false). Built-in definitions are in lang/headers.ts. */
  headers: HeaderDef[];
  parseExts: ParseExt[];
  states: StateDecl[];
  /** User counters, then the hidden event counters (lang/events.ts: `<event>.sent`, ...). */
  counters: CounterDecl[];
  /** Declared events (lang/events.ts); absent when there are none. */
  events?: EventDecl[];
  handler: TStmt[];
  /** Headers the handler refers to, including prerequisites: what the packet parser must parse. */
  usedHeaders: string[];
  /** Estimated stack bytes of all locals (checked against the budget). */
  stackBytes: number;
  /** User tests (`test "name" { }`), in source order; absent when there are none. */
  tests?: CheckedTest[];
}
