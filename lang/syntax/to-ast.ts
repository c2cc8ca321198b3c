// CST → AST for the program, declarations and statements (expressions: to-ast-expr.ts), on the
// recovering path (index.ts). A method per grammar rule (parse.test.ts checks). Syntax checks that need the whole construct
// live here: the `nf` line (NF1015/NF1016), hooks and events (NF1017/NF1019), expression
// statements that are not calls (NF1013), assignment targets (NF1020), stray tokens (NF1013/NF1014).
import type { CstNode } from "chevrotain";
import type {
  AssignOp,
  Block,
  Cond,
  Decl,
  Expr,
  FieldDecl,
  Hook,
  Ident,
  MatchArm,
  Pattern,
  Program,
  StateArg,
  Stmt,
  TestDecl,
  TypeExpr,
} from "../ast.js";
import { diag } from "../diagnostics/catalogue.js";
import type { Span } from "../span.js";
import { TestAstBuilder } from "./to-ast-tests.js";
import { nodeOf, nodesOf, tokOf, tokensOf, type Ctx } from "./to-ast-expr.js";
import { found } from "./errors.js";
import * as T from "./tokens.js";

interface NfLine {
  kind: "nf";
  name: Ident;
  hook: Hook;
  hookSpan: Span;
  span: Span;
}
type TopItem = Decl | NfLine | { kind: "test"; test: TestDecl } | undefined;

const STATEMENT_WORDS = [
  "pass",
  "drop",
  "tx",
  "break",
  "redirect",
  "let",
  "var",
  "if",
  "match",
  "for",
  "repeat",
  "emit",
];

export class AstBuilder extends TestAstBuilder {
  /** The program, or undefined when even the `nf` line is missing. */
  program(ctx: Ctx, span: Span): Program | undefined {
    const items = nodesOf(ctx, "topItem").map((n) => this.visit(n, this.nodeSpan(n, span)) as TopItem);
    const decls: Decl[] = [];
    const tests: TestDecl[] = [];
    let header: NfLine | undefined;
    let first: Decl | NfLine | undefined;
    for (const it of items) {
      if (it === undefined) continue;
      if (it.kind === "test") {
        tests.push(it.test);
        continue;
      }
      if (it.kind !== "nf") {
        decls.push(it);
        first ??= it;
        continue;
      }
      if (header !== undefined) {
        this.diagnostics.push(
          diag(
            "NF1016",
            it.span,
            { what: "duplicate" },
            { secondary: [{ span: header.span, message: "first `nf` line here" }] },
          ),
        );
      } else {
        if (first !== undefined)
          this.diagnostics.push(
            diag(
              "NF1016",
              it.span,
              { what: "misplaced" },
              { secondary: [{ span: first.span, message: "first declaration here" }] },
            ),
          );
        header = it;
      }
      first ??= it;
    }
    if (header === undefined) {
      this.diagnostics.push(diag("NF1015", first?.span ?? this.sp.span(0, 0), {}));
      return undefined;
    }
    return {
      file: this.sp.file,
      name: header.name,
      hook: header.hook,
      hookSpan: header.hookSpan,
      decls,
      ...(tests.length > 0 ? { tests } : {}),
      span: this.sp.span(0, this.sp.source.length),
    };
  }

  topItem(ctx: Ctx, span: Span): TopItem {
    const n = Object.values(ctx).flat()[0];
    if (n === undefined || !("children" in n)) return undefined;
    const r = this.visit(n, this.nodeSpan(n, span)) as TopItem | TestDecl;
    return r !== undefined && "nameSpan" in r ? { kind: "test", test: r } : r;
  }

  junkTop(ctx: Ctx, span: Span): undefined {
    const t = tokOf(ctx, "AnyTok");
    this.diagnostics.push(diag("NF1014", this.sp.tok(t, span.start), { found: found(t) }));
    return undefined;
  }

  nfHeader(ctx: Ctx, span: Span): NfLine {
    const h = nodeOf(ctx, "hook");
    const hookSpan = h ? this.nodeSpan(h, span) : this.sp.span(span.end, span.end);
    let hook: Hook = "xdp";
    if (h !== undefined) {
      const c = h.children as Ctx;
      if (tokOf(c, "Kw_tc") !== undefined)
        hook = tokOf(c, "Kw_egress") !== undefined ? "tc_egress" : "tc_ingress";
      const bad = tokOf(c, "Identifier");
      if (bad !== undefined) this.diagnostics.push(diag("NF1017", hookSpan, { found: found(bad) }));
    }
    return { kind: "nf", name: this.ident(tokOf(ctx, "Identifier"), span), hook, hookSpan, span };
  }

  hook(_ctx: Ctx, span: Span): Span {
    return span; // read by nfHeader
  }

  constDecl(ctx: Ctx, span: Span): Decl {
    const kind = tokOf(ctx, "Kw_config") !== undefined ? "config" : "const";
    const name = this.ident(tokOf(ctx, "Identifier"), span);
    return {
      kind,
      name,
      type: this.type(nodeOf(ctx, "typeExpr"), span),
      value: this.subExpr(nodeOf(ctx, "expr"), span),
      span,
    };
  }

  typeDecl(ctx: Ctx, span: Span): Decl {
    const kind =
      tokOf(ctx, "Kw_header") !== undefined
        ? "header"
        : tokOf(ctx, "Kw_event") !== undefined
          ? "event"
          : "type";
    const fields = nodesOf(ctx, "fieldDecl").map((f) => this.visit(f, this.nodeSpan(f, span)) as FieldDecl);
    return { kind, name: this.ident(tokOf(ctx, "Identifier"), span), fields, span };
  }

  fieldDecl(ctx: Ctx, span: Span): FieldDecl {
    return {
      name: this.ident(tokOf(ctx, "FieldName"), span),
      type: this.type(nodeOf(ctx, "typeExpr"), span),
      span,
    };
  }

  parseDecl(ctx: Ctx, span: Span): Decl {
    return {
      kind: "parse",
      after: this.ident(tokOf(ctx, "after"), span),
      field: this.ident(tokOf(ctx, "field"), span),
      value: this.subExpr(nodeOf(ctx, "expr"), span),
      header: this.ident(tokOf(ctx, "header"), span),
      span,
    };
  }

  stateDecl(ctx: Ctx, span: Span): Decl {
    const family =
      tokOf(ctx, "Kw_sketch") !== undefined
        ? "sketch"
        : tokOf(ctx, "Kw_queue") !== undefined
          ? "queue"
          : "table";
    const typeArgs = nodesOf(ctx, "typeExpr").map((t) => this.type(t, span));
    const args = nodesOf(ctx, "stateArg").map((a) => this.visit(a, this.nodeSpan(a, span)) as StateArg);
    return {
      kind: "state",
      family,
      name: this.ident(tokOf(ctx, "name"), span),
      blockKind: this.ident(tokOf(ctx, "blockKind"), span),
      typeArgs,
      args,
      span,
    };
  }

  stateArg(ctx: Ctx, span: Span): StateArg {
    const name = this.ident(tokOf(ctx, "Identifier"), span);
    const eq = tokOf(ctx, "Eq");
    return eq === undefined
      ? { name, span }
      : { name, value: this.subExpr(nodeOf(ctx, "expr"), this.after(eq, span)), span };
  }

  counterDecl(ctx: Ctx, span: Span): Decl {
    return { kind: "counter", names: tokensOf(ctx, "Identifier").map((t) => this.ident(t, span)), span };
  }

  handlerDecl(ctx: Ctx, span: Span): Decl {
    const bad = tokOf(ctx, "Identifier");
    if (bad !== undefined) this.diagnostics.push(diag("NF1019", this.sp.tok(bad), { found: found(bad) }));
    const event = this.ident(tokOf(ctx, "Kw_packet") ?? bad, span);
    return { kind: "handler", event, body: this.blockOf(nodeOf(ctx, "block"), span), span };
  }

  // ---------- statements ----------
  type(n: CstNode | undefined, fallback: Span): TypeExpr {
    return this.sub<TypeExpr>(n, fallback, (s) => ({ kind: "named", name: { name: "", span: s }, span: s }));
  }

  blockOf(n: CstNode | undefined, fallback: Span): Block {
    return this.sub<Block>(n, fallback, (s) => ({ stmts: [], span: s }));
  }

  block(ctx: Ctx, span: Span): Block {
    const stmts = nodesOf(ctx, "stmt")
      .map((s) => this.visit(s, this.nodeSpan(s, span)) as Stmt | undefined)
      .filter((s): s is Stmt => s !== undefined);
    return { stmts, span };
  }

  stmt(ctx: Ctx, span: Span): Stmt | undefined {
    const n = Object.values(ctx).flat()[0];
    if (n === undefined) return { kind: "error", span };
    if ("children" in n) return this.visit(n, this.nodeSpan(n, span)) as Stmt;
    switch (n.tokenType) {
      case T.Break:
        return { kind: "break", span };
      case T.Pass:
      case T.Drop:
      case T.Tx:
        return { kind: "verdict", verdict: n.image as "pass" | "drop" | "tx", span };
      default:
        return undefined; // `;`
    }
  }

  junkStmt(ctx: Ctx, span: Span): Stmt {
    const t = tokOf(ctx, "AnyTok");
    const s = this.sp.tok(t, span.start);
    this.diagnostics.push(diag("NF1013", s, { what: found(t) }));
    return { kind: "error", span: s };
  }

  letStmt(ctx: Ctx, span: Span): Stmt {
    const name = this.ident(tokOf(ctx, "Identifier"), span);
    const tn = nodeOf(ctx, "typeExpr");
    const value = this.subExpr(nodeOf(ctx, "expr"), this.after(tokOf(ctx, "Eq"), span));
    const eb = nodeOf(ctx, "elseBranch");
    const elseBlock = eb !== undefined ? (this.visit(eb, this.nodeSpan(eb, span)) as Block) : undefined;
    return {
      kind: "let",
      name,
      ...(tn !== undefined ? { type: this.type(tn, span) } : {}),
      value,
      ...(elseBlock !== undefined ? { else: elseBlock } : {}),
      span,
    };
  }

  varStmt(ctx: Ctx, span: Span): Stmt {
    const tn = nodeOf(ctx, "typeExpr");
    return {
      kind: "var",
      name: this.ident(tokOf(ctx, "Identifier"), span),
      ...(tn !== undefined ? { type: this.type(tn, span) } : {}),
      value: this.subExpr(nodeOf(ctx, "expr"), this.after(tokOf(ctx, "Eq"), span)),
      span,
    };
  }

  ifStmt(ctx: Ctx, span: Span): Stmt {
    const cond = this.sub<Cond>(nodeOf(ctx, "cond"), span, (s) => ({
      kind: "expr",
      expr: { kind: "error", span: s },
      span: s,
    }));
    const then = this.blockOf(nodeOf(ctx, "block"), span);
    const eb = nodeOf(ctx, "elseBranch");
    const elseBlock = eb !== undefined ? (this.visit(eb, this.nodeSpan(eb, span)) as Block) : undefined;
    return { kind: "if", cond, then, ...(elseBlock !== undefined ? { else: elseBlock } : {}), span };
  }

  /** `else if` becomes a Block holding one `if`. */
  elseBranch(ctx: Ctx, span: Span): Block {
    const inner = nodeOf(ctx, "ifStmt");
    if (inner !== undefined) return { stmts: [this.visit(inner, this.nodeSpan(inner, span)) as Stmt], span };
    return this.blockOf(nodeOf(ctx, "block"), span);
  }

  cond(ctx: Ctx, span: Span): Cond {
    const value = this.subExpr(nodeOf(ctx, "expr"), span);
    if (tokOf(ctx, "Kw_let") === undefined) return { kind: "expr", expr: value, span };
    return { kind: "let", name: this.ident(tokOf(ctx, "Identifier"), span), value, span };
  }

  matchStmt(ctx: Ctx, span: Span): Stmt {
    const arms = nodesOf(ctx, "matchArm").map((a) => this.visit(a, this.nodeSpan(a, span)) as MatchArm);
    return { kind: "match", scrutinee: this.subExpr(nodeOf(ctx, "expr"), span), arms, span };
  }

  matchArm(ctx: Ctx, span: Span): MatchArm {
    const patterns = nodesOf(ctx, "pattern").map((p) => this.visit(p, this.nodeSpan(p, span)) as Pattern);
    return { patterns, body: this.blockOf(nodeOf(ctx, "block"), span), span };
  }

  pattern(ctx: Ctx, span: Span): Pattern {
    if (tokOf(ctx, "Underscore") !== undefined) return { kind: "wildcard", span };
    const lo = this.subExpr(nodeOf(ctx, "lo"), span);
    const dots = tokOf(ctx, "DotDot");
    if (dots === undefined) return { kind: "value", value: lo, span };
    return { kind: "range", lo, hi: this.subExpr(nodeOf(ctx, "hi"), this.after(dots, span)), span };
  }

  forStmt(ctx: Ctx, span: Span): Stmt {
    return {
      kind: "for",
      var: this.ident(tokOf(ctx, "Identifier"), span),
      lo: this.subExpr(nodeOf(ctx, "lo"), span),
      hi: this.subExpr(nodeOf(ctx, "hi"), this.after(tokOf(ctx, "DotDot"), span)),
      body: this.blockOf(nodeOf(ctx, "block"), span),
      span,
    };
  }

  repeatStmt(ctx: Ctx, span: Span): Stmt {
    return {
      kind: "repeat",
      count: this.subExpr(nodeOf(ctx, "expr"), span),
      body: this.blockOf(nodeOf(ctx, "block"), span),
      span,
    };
  }

  redirectStmt(ctx: Ctx, span: Span): Stmt {
    return {
      kind: "redirect",
      ifindex: this.subExpr(nodeOf(ctx, "expr"), this.after(tokOf(ctx, "LParen"), span)),
      span,
    };
  }

  exprStmt(ctx: Ctx, span: Span): Stmt {
    const target = this.subExpr(nodeOf(ctx, "target"), span);
    const opTok = tokOf(ctx, "AssignOp");
    if (opTok !== undefined) {
      const value = this.subExpr(nodeOf(ctx, "value"), this.after(opTok, span));
      if (!isPlace(target)) this.diagnostics.push(diag("NF1020", target.span, {}));
      return {
        kind: "assign",
        target,
        op: opTok.image as AssignOp,
        value,
        opSpan: this.sp.tok(opTok, span.end),
        span,
      };
    }
    if (target.kind === "call" || target.kind === "method") return { kind: "expr", expr: target, span };
    if (target.kind !== "error") {
      const what = target.kind === "name" ? `\`${target.name.name}\`` : "this expression";
      const suggestion = target.kind === "name" ? closest(target.name.name) : undefined;
      this.diagnostics.push(
        diag("NF1013", target.span, { what, ...(suggestion !== undefined ? { suggestion } : {}) }),
      );
    }
    return { kind: "error", span };
  }
}

function isPlace(e: Expr): boolean {
  return e.kind === "name" || e.kind === "field" || e.kind === "index" || e.kind === "error";
}

/** A statement keyword within edit distance 2 of `word` (for "did you mean `pass`?"). */
function closest(word: string): string | undefined {
  let best: string | undefined;
  let bestD = 3;
  for (const k of STATEMENT_WORDS) {
    const d = editDistance(word.toLowerCase(), k);
    if (d < bestD && d < k.length) {
      best = k;
      bestD = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}
