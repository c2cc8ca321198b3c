// The fast path of the syntax phase: tokens of a well-formed program → the AST, in one pass, with
// no CST and no recovery. It accepts only input on which the grammar (parser.ts) would report no
// error and the CST visitor (to-ast*.ts) no diagnostic, and builds exactly the AST they build
// (same nodes, spans, key order); at the first token that does not fit, it gives up and index.ts
// takes the recovering chevrotain path, which reports the mistake. So errors are always the
// chevrotain path's, and this file decides nothing a user can see but speed (the cold chevrotain
// parse of a 1,000-line program costs ~0.4 s of CPU; this, ~20 ms). Each method mirrors the
// grammar rule of the same name (expressions and types: wellformed-expr.ts); wellformed.test.ts
// holds the two paths equal.
import type { IToken, TokenType } from "chevrotain";
import type {
  Arg,
  AssignOp,
  Block,
  Cond,
  Decl,
  Hook,
  Ident,
  MatchArm,
  Pattern,
  Program,
  Stmt,
  TestDecl,
  TestStmt,
  TestVerdict,
  TypeExpr,
} from "../ast.js";
import type { Span } from "../span.js";
import { decodeString } from "./literals.js";
import { DECL_START } from "./parser.js";
import type { Spanner } from "./spans.js";
import * as T from "./tokens.js";
import { FIELD_NAME, NotWellFormed, notWellFormed, WellFormedExpr } from "./wellformed-expr.js";

const ASSIGN = new Set<TokenType>([
  T.Eq,
  T.PlusEq,
  T.MinusEq,
  T.StarEq,
  T.PipeEq,
  T.AmpEq,
  T.CaretEq,
  T.ShlEq,
  T.ShrEq,
]);
/** The program's AST, or undefined when the recovering parser must take over. */
export function parseWellFormed(tokens: IToken[], sp: Spanner): Program | undefined {
  try {
    return new WellFormed(tokens, sp).program();
  } catch (e) {
    if (e instanceof NotWellFormed) return undefined;
    throw e;
  }
}

class WellFormed extends WellFormedExpr {
  // ---------- top level ----------
  program(): Program {
    const decls: Decl[] = [];
    const tests: TestDecl[] = [];
    let header: { name: Ident; hook: Hook; hookSpan: Span } | undefined;
    while (this.pos < this.tokens.length) {
      const t = this.la()!;
      if (t === T.Semicolon) this.next();
      else if (t === T.Test) tests.push(this.testDecl());
      else if (t === T.Nf) {
        if (header !== undefined || decls.length > 0) throw notWellFormed; // NF1016
        header = this.nfHeader();
      } else if (header === undefined)
        throw notWellFormed; // NF1015 / NF1016
      else decls.push(this.decl(t));
    }
    if (header === undefined) throw notWellFormed;
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

  private decl(t: TokenType): Decl {
    if (t === T.Const || t === T.Config) return this.constDecl();
    if (t === T.Type || t === T.Header || t === T.Event) return this.typeDecl();
    if (t === T.Parse) return this.parseDecl();
    if (t === T.Table || t === T.Sketch || t === T.Queue) return this.stateDecl();
    if (t === T.Counter) return this.counterDecl();
    if (t === T.On) return this.handlerDecl();
    throw notWellFormed; // NF1014
  }

  private nfHeader(): { name: Ident; hook: Hook; hookSpan: Span } {
    this.take(T.Nf);
    const name = this.name();
    this.take(T.On);
    const at = this.pos;
    let hook: Hook = "xdp";
    if (this.takeIf(T.Tc) !== undefined) {
      hook = "tc_ingress";
      if (this.takeIf(T.Egress) !== undefined) hook = "tc_egress";
      else this.takeIf(T.Ingress);
    } else this.take(T.Xdp); // a name here is NF1017
    return { name, hook, hookSpan: this.from(at) };
  }

  private constDecl(): Decl {
    const at = this.pos;
    const kind = this.next().tokenType === T.Config ? "config" : "const";
    const name = this.name();
    this.take(T.Colon);
    const type = this.typeExpr();
    this.take(T.Eq);
    const value = this.expr();
    return { kind, name, type, value, span: this.from(at) };
  }

  private typeDecl(): Decl {
    const at = this.pos;
    const kw = this.next().tokenType;
    const kind = kw === T.Header ? "header" : kw === T.Event ? "event" : "type";
    const name = this.name();
    this.take(T.LCurly);
    const fields = [];
    while (FIELD_NAME.has(this.la()!)) {
      const f = this.pos;
      const fname = this.fieldName();
      this.take(T.Colon);
      fields.push({ name: fname, type: this.typeExpr(), span: this.from(f) });
      this.takeIf(T.Comma);
    }
    this.take(T.RCurly);
    return { kind, name, fields, span: this.from(at) };
  }

  private parseDecl(): Decl {
    const at = this.pos;
    this.take(T.Parse);
    const after = this.name();
    this.take(T.Dot);
    const field = this.fieldName();
    this.take(T.EqEq);
    const value = this.expr();
    this.take(T.FatArrow);
    const header = this.name();
    return { kind: "parse", after, field, value, header, span: this.from(at) };
  }

  private stateDecl(): Decl {
    const at = this.pos;
    const t = this.next().tokenType;
    const family = t === T.Sketch ? "sketch" : t === T.Queue ? "queue" : "table";
    const name = this.name();
    this.take(T.Colon);
    const blockKind = this.name();
    const typeArgs: TypeExpr[] = [];
    if (this.takeIf(T.Lt) !== undefined) {
      typeArgs.push(this.typeExpr());
      while (this.takeIf(T.Comma) !== undefined) typeArgs.push(this.typeExpr());
      this.take(T.Gt);
    }
    const args = [];
    if (this.takeIf(T.LParen) !== undefined) {
      if (this.is(T.Identifier)) {
        do {
          const a = this.pos;
          const argName = this.name();
          if (this.takeIf(T.Eq) === undefined) args.push({ name: argName, span: this.from(a) });
          else {
            const value = this.expr();
            args.push({ name: argName, value, span: this.from(a) });
          }
        } while (this.takeIf(T.Comma) !== undefined);
      }
      this.take(T.RParen);
    }
    return { kind: "state", family, name, blockKind, typeArgs, args, span: this.from(at) };
  }

  private counterDecl(): Decl {
    const at = this.pos;
    this.take(T.Counter);
    const names = [this.name()];
    while (this.takeIf(T.Comma) !== undefined) names.push(this.name());
    return { kind: "counter", names, span: this.from(at) };
  }

  private handlerDecl(): Decl {
    const at = this.pos;
    this.take(T.On);
    const event = this.ident(this.take(T.Packet)); // a name here is NF1019
    const body = this.block();
    return { kind: "handler", event, body, span: this.from(at) };
  }

  // ---------- user tests ----------
  private testDecl(): TestDecl {
    const at = this.pos;
    this.take(T.Test);
    const t = this.take(T.StringTok);
    const nameSpan = this.sp.tok(t);
    const body = this.testBlock();
    return { name: decodeString(t.image).value, nameSpan, body, span: this.from(at) };
  }

  private testBlock(): TestStmt[] {
    this.take(T.LCurly);
    const out: TestStmt[] = [];
    while (!this.is(T.RCurly)) {
      const s = this.testStmt();
      if (s !== undefined) out.push(s);
    }
    this.take(T.RCurly);
    return out;
  }

  private testStmt(): TestStmt | undefined {
    const at = this.pos;
    const t = this.la();
    if (t === T.Semicolon) {
      this.next();
      return undefined;
    }
    if (t === T.Config) {
      this.next();
      const name = this.name();
      this.take(T.Eq);
      const value = this.expr();
      return { kind: "config", name, value, span: this.from(at) };
    }
    if (t === T.Packet) {
      this.next();
      const packet = this.expr();
      if (this.takeIf(T.FatArrow) === undefined) return { kind: "packet", packet, span: this.from(at) };
      const expect = this.testVerdict();
      if (this.takeIf(T.As) === undefined) return { kind: "packet", packet, expect, span: this.from(at) };
      const output = this.expr();
      return { kind: "packet", packet, expect, output, span: this.from(at) };
    }
    if (t === T.Repeat) {
      this.next();
      const count = this.expr();
      const body = this.testBlock();
      return { kind: "repeat", count, body, span: this.from(at) };
    }
    const word = this.take(T.Identifier);
    if (word.image === "entry" && this.la(2) === T.LBracket) {
      const table = this.name();
      this.take(T.LBracket);
      const key = this.expr();
      this.take(T.RBracket);
      this.take(T.Eq);
      const value = this.expr();
      return { kind: "entry", table, key, value, span: this.from(at) };
    }
    if (word.image !== "expect") throw notWellFormed; // NF1022
    if (this.takeIf(T.Event) !== undefined) {
      const event = this.name();
      const fields = this.emitFields();
      return { kind: "expectEvent", event, fields, span: this.from(at) };
    }
    const expr = this.expr();
    return { kind: "expect", expr, span: this.from(at) };
  }

  private testVerdict(): TestVerdict {
    const at = this.pos;
    const t = this.la();
    if (t === T.Pass || t === T.Drop || t === T.Tx) {
      const kind = this.next().image as "pass" | "drop" | "tx";
      return { kind, span: this.from(at) };
    }
    const r = this.redirect();
    return { kind: "redirect", ifindex: r.ifindex, span: this.from(at) };
  }

  // ---------- statements ----------
  private block(): Block {
    const at = this.pos;
    this.take(T.LCurly);
    const stmts: Stmt[] = [];
    while (!this.is(T.RCurly) && !DECL_START.has(this.la()!)) {
      const s = this.stmt();
      if (s !== undefined) stmts.push(s);
    }
    this.take(T.RCurly);
    return { stmts, span: this.from(at) };
  }

  private stmt(): Stmt | undefined {
    const at = this.pos;
    switch (this.la()) {
      case T.Let:
        return this.letStmt();
      case T.Var:
        return this.varStmt();
      case T.If:
        return this.ifStmt();
      case T.Match:
        return this.matchStmt();
      case T.For:
        return this.forStmt();
      case T.Repeat: {
        this.next();
        const count = this.expr();
        const body = this.block();
        return { kind: "repeat", count, body, span: this.from(at) };
      }
      case T.Break:
        this.next();
        return { kind: "break", span: this.from(at) };
      case T.Pass:
      case T.Drop:
      case T.Tx:
        return { kind: "verdict", verdict: this.next().image as "pass" | "drop" | "tx", span: this.from(at) };
      case T.Redirect:
        return this.redirect();
      case T.Emit:
        return this.emitStmt();
      case T.Semicolon:
        this.next();
        return undefined;
      default:
        return this.exprStmt();
    }
  }

  /** `emit NAME { f = e, ... }` and the contextual `every RATE` (the gate of parser.ts emitStmt). */
  private emitStmt(): Stmt {
    const at = this.pos;
    this.take(T.Emit);
    const event = this.name();
    const fields = this.emitFields();
    const [a, b, c] = [this.tokens[this.pos], this.la(2), this.la(3)];
    const every =
      a?.tokenType === T.Identifier &&
      a.image === "every" &&
      (b === T.IntLit ||
        (b === T.Identifier && c !== T.Dot && c !== T.LParen && c !== T.LBracket && !(c && T.isAssign(c))));
    if (!every) return { kind: "emit", event, fields, span: this.from(at) };
    this.next();
    return { kind: "emit", event, fields, every: this.primary(), span: this.from(at) };
  }

  private emitFields(): Arg[] {
    this.take(T.LCurly);
    const fields: Arg[] = [];
    while (FIELD_NAME.has(this.la()!)) {
      const f = this.pos;
      const name = this.fieldName();
      this.take(T.Eq);
      fields.push({ name, value: this.expr(), span: this.from(f) });
      this.takeIf(T.Comma);
    }
    this.take(T.RCurly);
    return fields;
  }

  private redirect(): Extract<Stmt, { kind: "redirect" }> {
    const at = this.pos;
    this.take(T.Redirect);
    this.take(T.LParen);
    const ifindex = this.expr();
    this.take(T.RParen);
    return { kind: "redirect", ifindex, span: this.from(at) };
  }

  private letStmt(): Stmt {
    const at = this.pos;
    this.take(T.Let);
    const name = this.name();
    const type = this.takeIf(T.Colon) !== undefined ? this.typeExpr() : undefined;
    this.take(T.Eq);
    const value = this.expr();
    const elseBlock = this.takeIf(T.Else) !== undefined ? this.elseBranch() : undefined;
    return {
      kind: "let",
      name,
      ...(type !== undefined ? { type } : {}),
      value,
      ...(elseBlock !== undefined ? { else: elseBlock } : {}),
      span: this.from(at),
    };
  }

  private varStmt(): Stmt {
    const at = this.pos;
    this.take(T.Var);
    const name = this.name();
    const type = this.takeIf(T.Colon) !== undefined ? this.typeExpr() : undefined;
    this.take(T.Eq);
    const value = this.expr();
    return { kind: "var", name, ...(type !== undefined ? { type } : {}), value, span: this.from(at) };
  }

  private ifStmt(): Stmt {
    const at = this.pos;
    this.take(T.If);
    const cond = this.cond();
    const then = this.block();
    const elseBlock = this.takeIf(T.Else) !== undefined ? this.elseBranch() : undefined;
    return {
      kind: "if",
      cond,
      then,
      ...(elseBlock !== undefined ? { else: elseBlock } : {}),
      span: this.from(at),
    };
  }

  private elseBranch(): Block {
    if (!this.is(T.If)) return this.block(); // anything else is NF1018
    const at = this.pos;
    const inner = this.ifStmt();
    return { stmts: [inner], span: this.from(at) };
  }

  private cond(): Cond {
    const at = this.pos;
    if (this.takeIf(T.Let) === undefined) {
      const expr = this.expr();
      return { kind: "expr", expr, span: this.from(at) };
    }
    const name = this.name();
    this.take(T.Eq);
    const value = this.expr();
    return { kind: "let", name, value, span: this.from(at) };
  }

  private matchStmt(): Stmt {
    const at = this.pos;
    this.take(T.Match);
    const scrutinee = this.expr();
    this.take(T.LCurly);
    const arms: MatchArm[] = [];
    while (!this.is(T.RCurly)) {
      const a = this.pos;
      const patterns = [this.pattern()];
      while (this.takeIf(T.Comma) !== undefined) patterns.push(this.pattern());
      this.take(T.FatArrow);
      const body = this.block();
      this.takeIf(T.Comma);
      arms.push({ patterns, body, span: this.from(a) });
    }
    this.take(T.RCurly);
    return { kind: "match", scrutinee, arms, span: this.from(at) };
  }

  private pattern(): Pattern {
    const at = this.pos;
    if (this.takeIf(T.Underscore) !== undefined) return { kind: "wildcard", span: this.from(at) };
    const lo = this.expr();
    if (this.takeIf(T.DotDot) === undefined) return { kind: "value", value: lo, span: this.from(at) };
    const hi = this.expr();
    return { kind: "range", lo, hi, span: this.from(at) };
  }

  private forStmt(): Stmt {
    const at = this.pos;
    this.take(T.For);
    const v = this.name();
    this.take(T.In);
    const lo = this.expr();
    this.take(T.DotDot);
    const hi = this.expr();
    const body = this.block();
    return { kind: "for", var: v, lo, hi, body, span: this.from(at) };
  }

  /** A call, or an assignment to a place; any other expression statement is NF1013 / NF1020. */
  private exprStmt(): Stmt {
    const at = this.pos;
    const target = this.expr();
    const op = ASSIGN.has(this.la()!) ? this.next() : undefined;
    if (op === undefined) {
      if (target.kind !== "call" && target.kind !== "method") throw notWellFormed;
      return { kind: "expr", expr: target, span: this.from(at) };
    }
    if (target.kind !== "name" && target.kind !== "field" && target.kind !== "index") throw notWellFormed;
    const value = this.expr();
    return {
      kind: "assign",
      target,
      op: op.image as AssignOp,
      value,
      opSpan: this.sp.tok(op),
      span: this.from(at),
    };
  }
}
