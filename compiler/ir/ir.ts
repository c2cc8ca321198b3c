// The compiler's IR: a small, structured, C-shaped language. Lowering (compiler/lower) builds it
// from a CheckedProgram, passes (compiler/passes) rewrite it, codegen (compiler/codegen) prints it.
// Every semantic decision (wrap casts, shift masks, division guards, byte order) is already explicit
// in the IR: the printer only spells nodes as C. Every node keeps the span of the source it came from.
import type { NameAllocator } from "../names/allocator.js";
import type { Hook } from "../../lang/ast.js";
import type { Span } from "../../lang/span.js";
import type { CType } from "./ctype.js";

export type CBinOp =
  | "+"
  | "-"
  | "*"
  | "/"
  | "%"
  | "<<"
  | ">>"
  | "&"
  | "|"
  | "^"
  | "=="
  | "!="
  | "<"
  | "<="
  | ">"
  | ">="
  | "&&"
  | "||";

/** Expressions. `ty` is the C type of the value (before C's integer promotions). */
export type IExpr = { span: Span; ty: CType } & (
  | { kind: "int"; value: bigint; comment?: string } // integer constant of type `ty`
  | { kind: "bool"; value: boolean }
  | { kind: "var"; name: string } // a local, a global (a config), an enum constant (`XDP_PASS`)
  | { kind: "hdr"; header: string; cvar: string } // pointer to a parsed header (`nf_h.ipv4`, `nf_hdr_vxlan`); NULL when absent
  /** A header field in packet memory, as stored on the wire (`ty` is the wire type, e.g. __be16).
   *  An lvalue. `member` names the kernel struct member; without it the field is read at `offset`. */
  | { kind: "pkt"; header: string; ptr: IExpr; offset: number; member?: string }
  | { kind: "member"; base: IExpr; field: string } // base.field, or base->field when base is a deref
  | { kind: "index"; base: IExpr; index: IExpr } // base[index]
  | { kind: "deref"; ptr: IExpr }
  | { kind: "addr"; of: IExpr }
  | { kind: "binary"; op: CBinOp; left: IExpr; right: IExpr }
  | { kind: "unary"; op: "!" | "~" | "-"; operand: IExpr }
  | { kind: "cast"; expr: IExpr } // (ty)expr: truncation, widening or a pointer cast
  | { kind: "cond"; cond: IExpr; then: IExpr; else: IExpr }
  | { kind: "call"; fn: string; args: IExpr[] }
  | { kind: "mapref"; map: string } // &map (first argument of map helpers)
);

export type AssignOp = "=" | "+=" | "|=";

export type IStmt = { span: Span } &
  /** A local. `zero`: memset to zero first (padding of map keys and values must be zero). */
  (
    | { kind: "decl"; name: string; ty: CType; init?: IExpr; zero?: boolean }
    | { kind: "assign"; target: IExpr; op: AssignOp; value: IExpr }
    | { kind: "if"; cond: IExpr; then: IStmt[]; else: IStmt[] }
    /** `for (ty var = lo; var < hi; var++)`, constant bounds. */
    | { kind: "loop"; var: string; varTy: CType; lo: bigint; hi: bigint; body: IStmt[] }
    | { kind: "break" }
    | { kind: "eval"; expr: IExpr }
    | { kind: "return"; value: IExpr }
    /** Incremental checksum update (RFC 1624, nf/csum.h): `fn(&sum, args...)`, values in wire order. */
    | { kind: "csum"; fn: string; sum: IExpr; args: IExpr[] }
    /** `counter += value`; the counter-hoist pass turns it into an access through one lookup. */
    | { kind: "counter"; name: string; value: IExpr }
    | { kind: "block"; body: IStmt[] }
  );

/** One field of a key/value layout as the control plane sees it (manifest). */
export interface LayoutField {
  name: string;
  offset: number;
  size: number;
  /** Language type name (`u32`, `ip4`, `flow5`, `bytes[3]`, `pad`). */
  type: string;
  order: "host" | "network" | "bytes";
}

export interface Layout {
  size: number;
  ctype: string;
  fields: LayoutField[];
}

export interface IrMap {
  /** The name the manifest and the control plane use: the state's name, or `counters`,
   *  `<state>_samp`, `scratch` for maps nfc adds. */
  name: string;
  /** C variable name (compiler/names): the user's name where safe, `nf_...` for nfc's maps. */
  symbol: string;
  /** The kernel's object name: `symbol` truncated to 15 characters, unique in the program. */
  kernelName: string;
  /** `store`: a structure's array-backed memory (entries 0..n-1, compared as concatenated bytes
   *  with KindStore.mapBytes); `opaque`: not compared (e.g. kmod maps holding kernel objects).
   *  Both name their structure in `params.structure`. */
  family: "table" | "sketch" | "counter" | "scratch" | "store" | "opaque";
  /** Registry kind (`hash`, `count_min`, ...) or `counter` / `scratch`. */
  kind: string;
  mapType: string; // BPF_MAP_TYPE_*
  key: CType;
  value: CType;
  keyLayout: Layout;
  valueLayout: Layout;
  maxEntries: number;
  /** The C of `maxEntries` where a stdlib macro states it (NF_CMS_ENTRIES(4, 65536)). */
  maxEntriesC?: string;
  flags: string[]; // BPF_F_*
  perCpu: boolean;
  /** Structure parameters as the manifest reports them (rows, width, chunk, seed, ...). */
  params: Record<string, number | boolean | string>;
  /** Sketches and queues: the layout of the structure's key / element type (what the control plane
   *  parses a query key into, or prints a queued element from). Not part of the schema hash: the
   *  map's bytes already depend on it through params and value layout. */
  elementLayout?: Layout;
  /** The .nf declaration of the structure the map belongs to (its C comment). */
  source?: string;
  span: Span;
}

export interface IrConfig {
  name: string;
  symbol: string; // the C global (compiler/names: the config's name where safe)
  ty: CType;
  langType: string;
  size: number;
  init: IExpr;
  /** Default as the manifest shows it: a number, a bool, or hex bytes in memory order. */
  default: string | number | boolean;
  span: Span;
}

/** A C struct definition emitted into the program (user types, user headers, counter block, ...). */
export interface IrStruct {
  name: string; // without `struct `
  fields: { name: string; decl: string }[]; // decl: full member declaration, e.g. `__u8 pad0[3]`
  packed: boolean;
  size: number;
  span: Span;
}

export interface IrParseExt {
  header: string; // user header parsed
  cvar: string; // its pointer variable (`nf_hdr_<header>`)
  tag: string; // its struct tag
  /** Where it starts: the parse cursor after `after` (`nf_h.l4_end`, `nf_h.l3_end`, `nf_hdr_x + 1`). */
  start: IExpr;
  cond: IExpr; // condition on the previous header (already NULL-checked inside)
  guard: IExpr; // the previous header's pointer (must be non-NULL)
  span: Span;
}

export interface IrHandler {
  name: string; // C function name: <nf>_prog
  section: "xdp" | "tc";
  ctxType: string; // `struct xdp_md` / `struct __sk_buff`
  /** Headers nf_parse must parse (NF_H_* bits), then the flags `ipv6_ext`, `l4_v4_only`,
   *  `l4_v6_only` (nf/parse.h); filled in by lowering, minimised by the parse-set pass. */
  parse: string[];
  parseExts: IrParseExt[];
  /** User headers whose pointer (`nf_hdr_<x>`, NULL unless a parse extension sets it) is declared:
   *  every one the code may read, whether or not an extension parses it. */
  userHeaders: { header: string; cvar: string; tag: string }[];
  /** The verdict returned when a per-CPU helper lookup that cannot fail does (pass). */
  fallback: IExpr;
  /** Statements run before the body (counter and scratch lookups). */
  prologue: IStmt[];
  /** The body calls `NF_REPARSE()` (payload writes and resizes): the view defines it as the
   *  handler's parse (nf_parse and the parse extensions) once more. */
  reparse?: boolean;
  body: IStmt[];
  span: Span;
}

/** An event's record as user space decodes it (manifest `events`): lang/events.ts. */
export interface IrEvent {
  name: string;
  id: number;
  layout: Layout;
  span: Span;
}

/** An exported sketch: its name, kind and the keys (hll: groups) as text; [] for a topk. */
export interface SketchExport {
  sketch: string;
  kind: string;
  keys: string[];
}

export interface IrProgram {
  nf: string;
  /** Extra includes after nf/nf.h (`"nfc_runtime.h"` for the kmod object). */
  includes?: string[];
  file: string; // basename, as given
  hook: Hook;
  structs: IrStruct[];
  maps: IrMap[];
  configs: IrConfig[];
  counters: { name: string; offset: number }[];
  /** Declared events (their ring buffer is in `maps`); absent when there are none. */
  events?: IrEvent[];
  /** Sketches the author exports to `nfc metrics` (lang/check/exports.ts); absent when none. */
  exports?: SketchExport[];
  handler: IrHandler;
  /** The name allocator lowering used; passes that add identifiers take theirs from it. */
  names: NameAllocator;
}
