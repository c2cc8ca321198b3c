// CST → AST for expressions and types (the base class of the AST builder in to-ast.ts), on the
// recovering path (index.ts; well-formed programs take wellformed.ts instead).
// Every visitor method receives the CST node's children and the node's span; a child missing
// after recovery becomes an `error` node (its problem was already reported), never a throw.
import type { CstElement, CstNode, IToken } from "chevrotain";
import type { Arg, BinaryOp, Expr, Ident, TypeExpr, UnaryOp } from "../ast.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { diag } from "../diagnostics/catalogue.js";
import { spanJoin, type Span } from "../span.js";
import * as T from "./tokens.js";
import type { Spanner } from "./spans.js";
import {
  decodeInt,
  decodeIp4,
  decodeIp6,
  decodeMac,
  decodePrefixLen,
  decodeString,
  splitPrefix,
} from "./literals.js";

export type Ctx = Record<string, CstElement[] | undefined>;

const BINARY_OPS = new Set<string>([
  "||",
  "&&",
  "==",
  "!=",
  "<",
  "<=",
  ">",
  ">=",
  "|",
  "^",
  "&",
  "<<",
  ">>",
  "+",
  "-",
  "*",
  "/",
  "%",
]);

export function tokOf(ctx: Ctx, name: string, i = 0): IToken | undefined {
  const e = ctx[name]?.[i];
  return e !== undefined && "image" in e ? e : undefined;
}

export function nodeOf(ctx: Ctx, name: string, i = 0): CstNode | undefined {
  const e = ctx[name]?.[i];
  return e !== undefined && "children" in e ? e : undefined;
}

export function nodesOf(ctx: Ctx, name: string): CstNode[] {
  return (ctx[name] ?? []).filter((e): e is CstNode => "children" in e);
}

export function tokensOf(ctx: Ctx, name: string): IToken[] {
  return (ctx[name] ?? []).filter((e): e is IToken => "image" in e);
}

/** Chevrotain's CST visitor protocol: `visit` calls the method named after the node's rule. (Not
 *  its base class, which needs the grammar recorded first; parse.test.ts checks that every rule
 *  has its method, as chevrotain's `validateVisitor` did.) */
class CstVisitor {
  visit(n: CstNode | CstNode[] | undefined, param?: unknown): unknown {
    const node = Array.isArray(n) ? n[0] : n;
    if (node === undefined) return undefined;
    const method = (this as unknown as Record<string, (c: unknown, p: unknown) => unknown>)[node.name]!;
    return method.call(this, node.children, param);
  }
}

export class ExprBuilder extends CstVisitor {
  constructor(
    protected readonly sp: Spanner,
    readonly diagnostics: Diagnostic[],
  ) {
    super();
  }

  /** Span of a CST node: its tracked offsets, or the extent of its real tokens. */
  nodeSpan(n: CstNode, fallback: Span): Span {
    const loc = n.location;
    if (loc && Number.isFinite(loc.startOffset) && Number.isFinite(loc.endOffset)) {
      return this.sp.span(loc.startOffset, (loc.endOffset as number) + 1);
    }
    let lo = Infinity;
    let hi = -Infinity;
    const walk = (c: CstNode): void => {
      for (const list of Object.values(c.children)) {
        for (const e of list) {
          if ("children" in e) walk(e);
          else if (Number.isFinite(e.startOffset)) {
            lo = Math.min(lo, e.startOffset);
            hi = Math.max(hi, e.startOffset + e.image.length);
          }
        }
      }
    };
    walk(n);
    return lo === Infinity ? fallback : this.sp.span(lo, hi);
  }

  /** Visits a child node with its span as the parameter. */
  sub<R>(n: CstNode | undefined, fallback: Span, missing: (s: Span) => R): R {
    if (n === undefined) return missing(fallback);
    return this.visit(n, this.nodeSpan(n, fallback)) as R;
  }

  subExpr(n: CstNode | undefined, fallback: Span): Expr {
    return this.sub<Expr>(n, fallback, (span) => ({ kind: "error", span }));
  }

  ident(t: IToken | undefined, fallback: Span): Ident {
    return {
      name: t !== undefined && Number.isFinite(t.startOffset) ? t.image : "",
      span: this.sp.tok(t, fallback.end),
    };
  }

  /** The empty span just after a token (where a missing operand would have been). */
  after(t: IToken | undefined, fallback: Span): Span {
    if (t === undefined || !Number.isFinite(t.startOffset)) return fallback;
    const e = t.startOffset + t.image.length;
    return this.sp.span(e, e);
  }

  // ---------- types ----------
  typeExpr(ctx: Ctx, span: Span): TypeExpr {
    const nameTok = tokOf(ctx, "Identifier");
    const name = this.ident(nameTok, span);
    const bracket = tokOf(ctx, "LBracket");
    if (bracket !== undefined) {
      const len = this.subExpr(nodeOf(ctx, "expr"), this.after(bracket, span));
      if (name.name === "bytes") return { kind: "bytes", len, span };
      if (name.name !== "")
        this.diagnostics.push(
          diag("NF1021", this.sp.span(bracket.startOffset, span.end), { name: name.name, what: "no-length" }),
        );
      return { kind: "named", name, span };
    }
    if (name.name === "bytes")
      this.diagnostics.push(diag("NF1021", name.span, { name: "bytes", what: "needs-length" }));
    return { kind: "named", name, span };
  }

  // ---------- expressions ----------
  expr(ctx: Ctx, span: Span): Expr {
    return this.subExpr(nodeOf(ctx, "orExpr"), span);
  }

  private fold(ctx: Ctx, span: Span): Expr {
    const operands = nodesOf(ctx, "operand");
    const ops = tokensOf(ctx, "op");
    // one operand: the same tokens, so the same span (most levels of most expressions)
    if (ops.length === 0 && operands.length === 1) return this.visit(operands[0]!, span) as Expr;
    let left = this.subExpr(operands[0], span);
    ops.forEach((opTok, i) => {
      const right = this.subExpr(operands[i + 1], this.after(opTok, span));
      const op = BINARY_OPS.has(opTok.image) ? (opTok.image as BinaryOp) : "+";
      left = {
        kind: "binary",
        op,
        left,
        right,
        opSpan: this.sp.tok(opTok, span.end),
        span: spanJoin(left.span, right.span),
      };
    });
    return left;
  }

  orExpr(ctx: Ctx, span: Span): Expr {
    return this.fold(ctx, span);
  }
  andExpr(ctx: Ctx, span: Span): Expr {
    return this.fold(ctx, span);
  }
  cmpExpr(ctx: Ctx, span: Span): Expr {
    return this.fold(ctx, span);
  }
  bitOrExpr(ctx: Ctx, span: Span): Expr {
    return this.fold(ctx, span);
  }
  bitXorExpr(ctx: Ctx, span: Span): Expr {
    return this.fold(ctx, span);
  }
  bitAndExpr(ctx: Ctx, span: Span): Expr {
    return this.fold(ctx, span);
  }
  shiftExpr(ctx: Ctx, span: Span): Expr {
    return this.fold(ctx, span);
  }
  addExpr(ctx: Ctx, span: Span): Expr {
    return this.fold(ctx, span);
  }
  mulExpr(ctx: Ctx, span: Span): Expr {
    return this.fold(ctx, span);
  }

  unaryExpr(ctx: Ctx, span: Span): Expr {
    const opTok = tokOf(ctx, "op");
    const operand = this.subExpr(nodeOf(ctx, "operand"), opTok ? this.after(opTok, span) : span);
    if (opTok === undefined) return operand;
    return {
      kind: "unary",
      op: opTok.image as UnaryOp,
      operand,
      span: spanJoin(this.sp.tok(opTok, span.start), operand.span),
    };
  }

  postfixExpr(ctx: Ctx, span: Span): Expr {
    let base = this.subExpr(nodeOf(ctx, "primary"), span);
    for (const op of nodesOf(ctx, "postfixOp")) {
      const opSpan = this.nodeSpan(op, span);
      const whole = spanJoin(base.span, opSpan);
      const c = op.children as Ctx;
      if (tokOf(c, "Dot") !== undefined) {
        const name = this.ident(tokOf(c, "FieldName"), opSpan);
        const args = nodeOf(c, "args");
        base =
          args !== undefined
            ? { kind: "method", target: base, method: name, args: this.argList(args, opSpan), span: whole }
            : { kind: "field", base, field: name, span: whole };
      } else if (tokOf(c, "LBracket") !== undefined) {
        base = { kind: "index", base, index: this.subExpr(nodeOf(c, "expr"), opSpan), span: whole };
      } else {
        const type = this.sub<TypeExpr>(nodeOf(c, "typeExpr"), this.after(tokOf(c, "As"), opSpan), (s) => ({
          kind: "named",
          name: { name: "", span: s },
          span: s,
        }));
        base = { kind: "cast", expr: base, type, span: whole };
      }
    }
    return base;
  }

  /** Read directly by its parent; kept so every rule has a method. */
  postfixOp(_ctx: Ctx, span: Span): Expr {
    return { kind: "error", span };
  }

  primary(ctx: Ctx, span: Span): Expr {
    const t = (Object.values(ctx).flat()[0] ?? undefined) as CstElement | undefined;
    if (t === undefined) return { kind: "error", span };
    if ("children" in t) return this.subExpr(t, span); // structLit
    const tt = t.tokenType;
    const s = this.sp.tok(t, span.start);
    if (tt === T.Identifier) {
      const callee = this.ident(t, span);
      const args = nodeOf(ctx, "args");
      return args === undefined
        ? { kind: "name", name: callee, span: s }
        : { kind: "call", callee, args: this.argList(args, span), span };
    }
    if (tt === T.LParen) {
      const inner = this.subExpr(nodeOf(ctx, "expr"), this.after(t, span));
      return inner.kind === "error" ? inner : { ...inner, span };
    }
    if (tt === T.True || tt === T.False) return { kind: "bool", value: tt === T.True, span: s };
    if (tt === T.DecimalLit)
      return { kind: "decimal", value: Number(t.image.replace(/_/g, "")), text: t.image, span: s };
    if (tt === T.IntLit) {
      const r = decodeInt(t.image);
      return r.ok ? { kind: "int", value: r.value, text: t.image, span: s } : { kind: "error", span: s };
    }
    if (tt === T.MacLit) {
      const r = decodeMac(t.image);
      return r.ok ? { kind: "mac", bytes: r.value, span: s } : { kind: "error", span: s };
    }
    if (tt === T.Ip4Lit || tt === T.Ip6Lit) return this.address(t, s);
    if (tt === T.StringTok || tt === T.UnterminatedString)
      return { kind: "string", value: decodeString(t.image).value, span: s };
    return { kind: "error", span: s };
  }

  private address(t: IToken, s: Span): Expr {
    const v4 = t.tokenType === T.Ip4Lit;
    const { addr, len } = splitPrefix(t.image);
    const r = v4 ? decodeIp4(addr) : decodeIp6(addr);
    if (!r.ok) return { kind: "error", span: s };
    const addrSpan = this.sp.span(s.start, s.start + addr.length);
    const a: Expr = v4
      ? { kind: "ip4", bytes: r.value, span: addrSpan }
      : { kind: "ip6", bytes: r.value, span: addrSpan };
    if (len === undefined) return a;
    const l = decodePrefixLen(len, v4 ? 32 : 128);
    return l.ok ? { kind: "prefix", addr: a, len: l.value, span: s } : { kind: "error", span: s };
  }

  structLit(ctx: Ctx, span: Span): Expr {
    const type = this.ident(tokOf(ctx, "Identifier"), span);
    const fields = nodesOf(ctx, "structField").map((f) => {
      const fs = this.nodeSpan(f, span);
      const c = f.children as Ctx;
      return {
        name: this.ident(tokOf(c, "Identifier"), fs),
        value: this.subExpr(nodeOf(c, "expr"), this.after(tokOf(c, "Colon"), fs)),
      };
    });
    return { kind: "struct", type, fields, span };
  }

  /** Read directly by its parent; kept so every rule has a method. */
  structField(_ctx: Ctx, span: Span): Expr {
    return { kind: "error", span };
  }

  argList(n: CstNode, fallback: Span): Arg[] {
    return nodesOf(n.children as Ctx, "arg").map((a) => {
      const s = this.nodeSpan(a, fallback);
      const c = a.children as Ctx;
      const nameTok = tokOf(c, "Identifier");
      const value = this.subExpr(nodeOf(c, "expr"), this.after(tokOf(c, "Eq"), s));
      return nameTok !== undefined ? { name: this.ident(nameTok, s), value, span: s } : { value, span: s };
    });
  }

  /** Read directly by its parent; kept so every rule has a method. */
  args(_ctx: Ctx, span: Span): Expr {
    return { kind: "error", span };
  }

  /** Read directly by its parent; kept so every rule has a method. */
  arg(_ctx: Ctx, span: Span): Expr {
    return { kind: "error", span };
  }
}
