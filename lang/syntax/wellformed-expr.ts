// Expressions and types of the fast path (wellformed.ts): a token cursor that gives up by throwing
// `notWellFormed` at the first token the grammar (parser.ts) would not accept without an error, and
// builds the nodes to-ast-expr.ts builds. Binary operators by precedence climbing, which gives the
// same left-associative tree as the grammar's nine levels.
import type { IToken, TokenType } from "chevrotain";
import type { Arg, BinaryOp, Expr, Ident, TypeExpr, UnaryOp } from "../ast.js";
import { spanJoin, type Span } from "../span.js";
import {
  decodeInt,
  decodeIp4,
  decodeIp6,
  decodeMac,
  decodePrefixLen,
  decodeString,
  splitPrefix,
} from "./literals.js";
import type { Spanner } from "./spans.js";
import * as T from "./tokens.js";

/** Binary operators by precedence level, loosest (0) first: the grammar's orExpr … mulExpr. */
const LEVEL = new Map<TokenType, number>([
  [T.OrOr, 0],
  [T.AndAnd, 1],
  ...[T.EqEq, T.NotEq, T.Lt, T.LtEq, T.Gt, T.GtEq].map((t) => [t, 2] as const),
  [T.Pipe, 3],
  [T.Caret, 4],
  [T.Amp, 5],
  [T.Shl, 6],
  [T.Shr, 6],
  [T.Plus, 7],
  [T.Minus, 7],
  [T.Star, 8],
  [T.Slash, 8],
  [T.Percent, 8],
]);
const UNARY = new Set<TokenType>([T.Minus, T.Bang, T.Tilde]);
export const FIELD_NAME = new Set<TokenType>(T.allTokens.filter((t) => T.isFieldName(t)));

/** Thrown to leave the fast path; never escapes parseWellFormed. */
export class NotWellFormed {}
export const notWellFormed = new NotWellFormed();

export class WellFormedExpr {
  protected pos = 0;
  /** End (exclusive) of the last token taken: where the current construct ends. */
  private lastEnd = 0;

  constructor(
    protected readonly tokens: IToken[],
    protected readonly sp: Spanner,
  ) {}

  // ---------- tokens ----------
  protected la(k = 1): TokenType | undefined {
    return this.tokens[this.pos + k - 1]?.tokenType;
  }

  protected is(t: TokenType): boolean {
    return this.la() === t;
  }

  protected next(): IToken {
    const t = this.tokens[this.pos];
    if (t === undefined) throw notWellFormed;
    this.pos++;
    this.lastEnd = t.startOffset + t.image.length;
    return t;
  }

  protected take(t: TokenType): IToken {
    if (this.la() !== t) throw notWellFormed;
    return this.next();
  }

  protected takeIf(t: TokenType): IToken | undefined {
    return this.la() === t ? this.next() : undefined;
  }

  protected ident(t: IToken): Ident {
    return { name: t.image, span: this.sp.tok(t) };
  }

  protected name(t: TokenType = T.Identifier): Ident {
    return this.ident(this.take(t));
  }

  protected fieldName(): Ident {
    if (!FIELD_NAME.has(this.la()!)) throw notWellFormed;
    return this.ident(this.next());
  }

  /** The span of a construct that began at token index `from` and ends at the last token taken. */
  protected from(from: number): Span {
    return this.sp.span(this.tokens[from]!.startOffset, this.lastEnd);
  }

  // ---------- types ----------
  protected typeExpr(): TypeExpr {
    const at = this.pos;
    const name = this.name();
    if (this.takeIf(T.LBracket) === undefined) {
      if (name.name === "bytes") throw notWellFormed; // NF1021
      return { kind: "named", name, span: this.from(at) };
    }
    const len = this.expr();
    this.take(T.RBracket);
    if (name.name !== "bytes") throw notWellFormed; // NF1021
    return { kind: "bytes", len, span: this.from(at) };
  }

  // ---------- expressions ----------
  /** Precedence climbing over LEVEL: the same left-associative tree as the grammar's levels. */
  protected expr(min = 0): Expr {
    let left = this.unary();
    for (;;) {
      const level = LEVEL.get(this.la()!);
      if (level === undefined || level < min) return left;
      const op = this.next();
      const right = this.expr(level + 1);
      left = {
        kind: "binary",
        op: op.image as BinaryOp,
        left,
        right,
        opSpan: this.sp.tok(op),
        span: spanJoin(left.span, right.span),
      };
    }
  }

  private unary(): Expr {
    if (!UNARY.has(this.la()!)) return this.postfix();
    const op = this.next();
    const operand = this.unary();
    return { kind: "unary", op: op.image as UnaryOp, operand, span: spanJoin(this.sp.tok(op), operand.span) };
  }

  private postfix(): Expr {
    let base = this.primary();
    for (;;) {
      const at = this.pos;
      const t = this.la();
      if (t === T.Dot) {
        this.next();
        const name = this.fieldName();
        if (this.is(T.LParen)) {
          const args = this.args();
          const opSpan = this.from(at);
          base = { kind: "method", target: base, method: name, args, span: spanJoin(base.span, opSpan) };
        } else base = { kind: "field", base, field: name, span: spanJoin(base.span, this.from(at)) };
      } else if (t === T.LBracket) {
        this.next();
        const index = this.expr();
        this.take(T.RBracket);
        base = { kind: "index", base, index, span: spanJoin(base.span, this.from(at)) };
      } else if (t === T.As) {
        this.next();
        const type = this.typeExpr();
        base = { kind: "cast", expr: base, type, span: spanJoin(base.span, this.from(at)) };
      } else return base;
    }
  }

  protected primary(): Expr {
    const at = this.pos;
    const t = this.la();
    if (t === T.Identifier) {
      if (this.la(2) === T.LCurly && FIELD_NAME.has(this.la(3)!) && this.la(4) === T.Colon)
        return this.structLit();
      const callee = this.ident(this.next());
      if (!this.is(T.LParen)) return { kind: "name", name: callee, span: callee.span };
      const args = this.args();
      return { kind: "call", callee, args, span: this.from(at) };
    }
    if (t === T.LParen) {
      this.next();
      const inner = this.expr();
      this.take(T.RParen);
      return { ...inner, span: this.from(at) };
    }
    const tok = this.next();
    const s = this.sp.tok(tok);
    if (t === T.True || t === T.False) return { kind: "bool", value: t === T.True, span: s };
    if (t === T.DecimalLit)
      return { kind: "decimal", value: Number(tok.image.replace(/_/g, "")), text: tok.image, span: s };
    if (t === T.IntLit) {
      const r = decodeInt(tok.image);
      if (r.ok) return { kind: "int", value: r.value, text: tok.image, span: s };
    } else if (t === T.MacLit) {
      const r = decodeMac(tok.image);
      if (r.ok) return { kind: "mac", bytes: r.value, span: s };
    } else if (t === T.Ip4Lit || t === T.Ip6Lit) return this.address(tok, s);
    else if (t === T.StringTok) return { kind: "string", value: decodeString(tok.image).value, span: s };
    throw notWellFormed;
  }

  private address(t: IToken, s: Span): Expr {
    const v4 = t.tokenType === T.Ip4Lit;
    const { addr, len } = splitPrefix(t.image);
    const r = v4 ? decodeIp4(addr) : decodeIp6(addr);
    if (!r.ok) throw notWellFormed;
    const addrSpan = this.sp.span(s.start, s.start + addr.length);
    const a: Expr = v4
      ? { kind: "ip4", bytes: r.value, span: addrSpan }
      : { kind: "ip6", bytes: r.value, span: addrSpan };
    if (len === undefined) return a;
    const l = decodePrefixLen(len, v4 ? 32 : 128);
    if (!l.ok) throw notWellFormed;
    return { kind: "prefix", addr: a, len: l.value, span: s };
  }

  private structLit(): Expr {
    const at = this.pos;
    const type = this.name();
    this.take(T.LCurly);
    const fields = [];
    do {
      const name = this.fieldName();
      this.take(T.Colon);
      fields.push({ name, value: this.expr() });
      this.takeIf(T.Comma);
    } while (FIELD_NAME.has(this.la()!));
    this.take(T.RCurly);
    return { kind: "struct", type, fields, span: this.from(at) };
  }

  private args(): Arg[] {
    this.take(T.LParen);
    const out: Arg[] = [];
    if (!this.is(T.RParen)) {
      do {
        const at = this.pos;
        const named = FIELD_NAME.has(this.la()!) && this.la(2) === T.Eq ? this.fieldName() : undefined;
        if (named !== undefined) this.take(T.Eq);
        const value = this.expr();
        out.push(
          named !== undefined ? { name: named, value, span: this.from(at) } : { value, span: this.from(at) },
        );
      } while (this.takeIf(T.Comma) !== undefined);
    }
    this.take(T.RParen);
    return out;
  }
}
