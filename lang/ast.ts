// The untyped AST: what the parser produces and the checker consumes. Discriminated unions on
// `kind`; every node carries its span. Names are plain strings here; resolve/check binds them.
import type { Span } from "./span.js";

export interface Ident {
  name: string;
  span: Span;
}

// ---------- types as written ----------

export type TypeExpr =
  | { kind: "named"; name: Ident; span: Span } // u8..u64, bool, ip4, ip6, mac, flow5, user type
  | { kind: "bytes"; len: Expr; span: Span }; // bytes[N]

// ---------- expressions ----------

export type BinaryOp =
  | "||"
  | "&&"
  | "=="
  | "!="
  | "<"
  | "<="
  | ">"
  | ">="
  | "|"
  | "^"
  | "&"
  | "<<"
  | ">>"
  | "+"
  | "-"
  | "*"
  | "/"
  | "%";

export type UnaryOp = "!" | "~" | "-";

export type Expr =
  | { kind: "int"; value: bigint; text: string; span: Span }
  | { kind: "decimal"; value: number; text: string; span: Span }
  | { kind: "bool"; value: boolean; span: Span }
  | { kind: "ip4"; bytes: number[]; span: Span } // 4 bytes, network order
  | { kind: "ip6"; bytes: number[]; span: Span } // 16 bytes
  | { kind: "mac"; bytes: number[]; span: Span } // 6 bytes
  | { kind: "prefix"; addr: Expr; len: number; span: Span } // 10.0.0.0/8 (tests, control plane)
  | { kind: "string"; value: string; span: Span }
  | { kind: "name"; name: Ident; span: Span } // local, const, config, header, state, counter
  | { kind: "field"; base: Expr; field: Ident; span: Span } // a.b
  | { kind: "index"; base: Expr; index: Expr; span: Span } // a[i]
  | { kind: "call"; callee: Ident; args: Arg[]; span: Span } // builtin(args) / redirect-like calls
  | { kind: "method"; target: Expr; method: Ident; args: Arg[]; span: Span } // state.op(args)
  | { kind: "binary"; op: BinaryOp; left: Expr; right: Expr; opSpan: Span; span: Span }
  | { kind: "unary"; op: UnaryOp; operand: Expr; span: Span }
  | { kind: "cast"; expr: Expr; type: TypeExpr; span: Span }
  | { kind: "struct"; type: Ident; fields: { name: Ident; value: Expr }[]; span: Span } // T { a: 1 }
  | { kind: "error"; span: Span }; // placeholder after a syntax error (parser recovery)

/** Call argument: positional `e` or named `name = e` (builder-style calls in tests). */
export interface Arg {
  name?: Ident;
  value: Expr;
  span: Span;
}

// ---------- statements ----------

export type AssignOp = "=" | "+=" | "-=" | "*=" | "|=" | "&=" | "^=" | "<<=" | ">>=";

export interface Block {
  stmts: Stmt[];
  span: Span;
}

export type Cond =
  { kind: "expr"; expr: Expr; span: Span } | { kind: "let"; name: Ident; value: Expr; span: Span }; // if let x = hdr_or_option

export type Pattern =
  | { kind: "value"; value: Expr; span: Span }
  | { kind: "range"; lo: Expr; hi: Expr; span: Span } // lo..hi, hi exclusive
  | { kind: "wildcard"; span: Span };

export interface MatchArm {
  patterns: Pattern[];
  body: Block;
  span: Span;
}

export type Stmt =
  | { kind: "let"; name: Ident; type?: TypeExpr; value: Expr; else?: Block; span: Span }
  | { kind: "var"; name: Ident; type?: TypeExpr; value: Expr; span: Span }
  | { kind: "assign"; target: Expr; op: AssignOp; value: Expr; opSpan: Span; span: Span }
  | { kind: "if"; cond: Cond; then: Block; else?: Block; span: Span } // `else if` nests an if in a Block
  | { kind: "match"; scrutinee: Expr; arms: MatchArm[]; span: Span }
  | { kind: "for"; var: Ident; lo: Expr; hi: Expr; body: Block; span: Span }
  | { kind: "repeat"; count: Expr; body: Block; span: Span }
  | { kind: "break"; span: Span }
  | { kind: "expr"; expr: Expr; span: Span }
  | { kind: "verdict"; verdict: "pass" | "drop" | "tx"; span: Span }
  | { kind: "redirect"; ifindex: Expr; span: Span }
  /** `emit NAME { f = e, ... } (every N)?`: fields are named Args (lang/events.ts). */
  | { kind: "emit"; event: Ident; fields: Arg[]; every?: Expr; span: Span }
  | { kind: "error"; span: Span };

// ---------- declarations ----------

export type Hook = "xdp" | "tc_ingress" | "tc_egress";

export interface FieldDecl {
  name: Ident;
  type: TypeExpr;
  span: Span;
}

/** Structure argument: `rows = 4` or a bare flag such as `per_cpu`. */
export interface StateArg {
  name: Ident;
  value?: Expr;
  span: Span;
}

export type Decl =
  | { kind: "const"; name: Ident; type: TypeExpr; value: Expr; span: Span }
  | { kind: "config"; name: Ident; type: TypeExpr; value: Expr; span: Span }
  | { kind: "type"; name: Ident; fields: FieldDecl[]; span: Span }
  | { kind: "header"; name: Ident; fields: FieldDecl[]; span: Span }
  | { kind: "event"; name: Ident; fields: FieldDecl[]; span: Span } // a record sent to user space
  | { kind: "parse"; after: Ident; field: Ident; value: Expr; header: Ident; span: Span }
  | {
      kind: "state";
      family: "table" | "sketch" | "queue";
      name: Ident;
      blockKind: Ident; // hash, count_min, ...
      typeArgs: TypeExpr[];
      args: StateArg[];
      span: Span;
    }
  | { kind: "counter"; names: Ident[]; span: Span }
  | { kind: "handler"; event: Ident; body: Block; span: Span }; // on packet { }

// ---------- user tests (`test "name" { ... }`, docs/LANGUAGE.md "Tests") ----------

export type TestVerdict =
  { kind: "pass" | "drop" | "tx"; span: Span } | { kind: "redirect"; ifindex: Expr; span: Span };

export type TestStmt =
  | { kind: "config"; name: Ident; value: Expr; span: Span }
  | { kind: "entry"; table: Ident; key: Expr; value: Expr; span: Span }
  | { kind: "packet"; packet: Expr; expect?: TestVerdict; output?: Expr; span: Span } // packet: builder calls joined by `/`; output: the expected output packet (`=> tx as ...`)
  | { kind: "repeat"; count: Expr; body: TestStmt[]; span: Span }
  | { kind: "expect"; expr: Expr; span: Span }
  | { kind: "expectEvent"; event: Ident; fields: Arg[]; span: Span } // expect event NAME { f = v }
  | { kind: "error"; span: Span };

export interface TestDecl {
  name: string;
  nameSpan: Span;
  body: TestStmt[];
  span: Span;
}

export interface Program {
  file: string;
  name: Ident;
  hook: Hook;
  hookSpan: Span;
  decls: Decl[];
  /** User tests, in source order (absent when the file has none). */
  tests?: TestDecl[];
  span: Span;
}
