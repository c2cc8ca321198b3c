// CST → AST for user tests: `test "name" { config … entry … packet … repeat … expect … }`
// (docs/LANGUAGE.md "Tests"). A layer between ExprBuilder and AstBuilder so the visitor has one
// method per grammar rule. `entry` / `expect` are plain names in the grammar: any other word
// at the start of a test statement is NF1022 here.
import type { Expr, TestDecl, TestStmt, TestVerdict } from "../ast.js";
import { diag } from "../diagnostics/catalogue.js";
import type { Span } from "../span.js";
import { decodeString } from "./literals.js";
import { nodeOf, nodesOf, tokOf, type Ctx } from "./to-ast-expr.js";
import { EventAstBuilder } from "./to-ast-events.js";

export class TestAstBuilder extends EventAstBuilder {
  testDecl(ctx: Ctx, span: Span): TestDecl {
    const t = tokOf(ctx, "StringLit");
    const nameSpan = this.sp.tok(t, span.start);
    const name = t !== undefined && Number.isFinite(t.startOffset) ? decodeString(t.image).value : "";
    const b = nodeOf(ctx, "testBlock");
    const body = b === undefined ? [] : (this.visit(b, this.nodeSpan(b, span)) as TestStmt[]);
    return { name, nameSpan, body, span };
  }

  testBlock(ctx: Ctx, span: Span): TestStmt[] {
    return nodesOf(ctx, "testStmt")
      .map((n) => this.visit(n, this.nodeSpan(n, span)) as TestStmt | undefined)
      .filter((s): s is TestStmt => s !== undefined);
  }

  testStmt(ctx: Ctx, span: Span): TestStmt | undefined {
    if (tokOf(ctx, "Kw_config") !== undefined)
      return {
        kind: "config",
        name: this.ident(tokOf(ctx, "Identifier"), span),
        value: this.subExpr(nodeOf(ctx, "expr"), span),
        span,
      };
    if (tokOf(ctx, "Kw_packet") !== undefined) {
      const v = nodeOf(ctx, "testVerdict");
      const expect = v === undefined ? undefined : (this.visit(v, this.nodeSpan(v, span)) as TestVerdict);
      const packet = this.subExpr(nodeOf(ctx, "packet"), span);
      const out = nodeOf(ctx, "output");
      const output = out === undefined ? undefined : this.subExpr(out, span);
      if (!expect) return { kind: "packet", packet, span };
      return output
        ? { kind: "packet", packet, expect, output, span }
        : { kind: "packet", packet, expect, span };
    }
    if (tokOf(ctx, "Kw_repeat") !== undefined) {
      const b = nodeOf(ctx, "testBlock");
      const body = b === undefined ? [] : (this.visit(b, this.nodeSpan(b, span)) as TestStmt[]);
      return { kind: "repeat", count: this.subExpr(nodeOf(ctx, "count"), span), body, span };
    }
    const word = tokOf(ctx, "word");
    if (word === undefined) return undefined; // `;`
    const w = this.ident(word, span);
    if (tokOf(ctx, "Kw_event") !== undefined)
      return {
        kind: "expectEvent",
        event: this.ident(tokOf(ctx, "event"), span),
        fields: this.emitFieldList(nodeOf(ctx, "emitFields"), span),
        span,
      };
    if (tokOf(ctx, "LBracket") !== undefined)
      return {
        kind: "entry",
        table: this.ident(tokOf(ctx, "table"), span),
        key: this.subExpr(nodeOf(ctx, "key"), span),
        value: this.subExpr(nodeOf(ctx, "value"), span),
        span,
      };
    const body: Expr = this.subExpr(nodeOf(ctx, "body"), span);
    if (w.name === "expect") return { kind: "expect", expr: body, span };
    if (w.name !== "") this.diagnostics.push(diag("NF1022", w.span, { word: w.name }));
    return { kind: "error", span };
  }

  testVerdict(ctx: Ctx, span: Span): TestVerdict {
    if (tokOf(ctx, "Kw_pass") !== undefined) return { kind: "pass", span };
    if (tokOf(ctx, "Kw_drop") !== undefined) return { kind: "drop", span };
    if (tokOf(ctx, "Kw_tx") !== undefined) return { kind: "tx", span };
    const r = nodeOf(ctx, "redirectStmt");
    const st = r ? (this.visit(r, this.nodeSpan(r, span)) as { ifindex: Expr }) : undefined;
    return { kind: "redirect", ifindex: st?.ifindex ?? { kind: "error", span }, span };
  }
}
