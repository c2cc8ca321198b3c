// CST → AST for events (lang/events.ts): `emit NAME { f = e, ... } (every N)?` and the `{ f = e }`
// field lists shared with `expect event NAME { ... }` in tests. A layer between ExprBuilder and
// TestAstBuilder so the visitor keeps one method per grammar rule. (`event NAME { f: T }` shares
// the `typeDecl` rule with `type` and `header`.)
import type { CstNode } from "chevrotain";
import type { Arg, Stmt } from "../ast.js";
import type { Span } from "../span.js";
import { ExprBuilder, nodeOf, nodesOf, tokOf, type Ctx } from "./to-ast-expr.js";

export class EventAstBuilder extends ExprBuilder {
  emitStmt(ctx: Ctx, span: Span): Stmt {
    const fields = this.emitFieldList(nodeOf(ctx, "emitFields"), span);
    const rate = nodeOf(ctx, "rate");
    return {
      kind: "emit",
      event: this.ident(tokOf(ctx, "event"), span),
      fields,
      ...(rate !== undefined ? { every: this.subExpr(rate, span) } : {}),
      span,
    };
  }

  /** The `f = e` fields of an `emitFields` node (none when recovery lost it). */
  emitFieldList(n: CstNode | undefined, fallback: Span): Arg[] {
    if (n === undefined) return [];
    return nodesOf(n.children as Ctx, "emitField").map((f) => {
      const s = this.nodeSpan(f, fallback);
      const c = f.children as Ctx;
      return {
        name: this.ident(tokOf(c, "Identifier"), s),
        value: this.subExpr(nodeOf(c, "expr"), this.after(tokOf(c, "Eq"), s)),
        span: s,
      };
    });
  }

  /** Read directly by its parent; kept for `validateVisitor`. */
  emitFields(_ctx: Ctx, span: Span): Arg[] {
    return [{ value: { kind: "error", span }, span }];
  }

  /** Read directly by its parent; kept for `validateVisitor`. */
  emitField(_ctx: Ctx, span: Span): Arg[] {
    return [{ value: { kind: "error", span }, span }];
  }
}
