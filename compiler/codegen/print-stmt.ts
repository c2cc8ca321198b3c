// IR statements → indented C lines (tabs, kernel style). A provenance comment
// (`/* heavy_hitter.nf:14:5 */`) precedes the first statement of each source line, so clang and
// verifier messages map back to the .nf source.
import { basename } from "node:path";
import { assertNever } from "../../lang/types.js";
import type { Span } from "../../lang/span.js";
import { cDecl } from "../ir/ctype.js";
import type { IStmt } from "../ir/ir.js";
import { printExpr } from "./print-expr.js";

export class StmtPrinter {
  readonly lines: string[] = [];
  private lastLoc = "";

  constructor(private readonly file: string) {}

  private loc(span: Span, depth: number): void {
    if (span.start === 0 && span.end === 0) return; // synthesised
    const key = `${span.line}`;
    if (key === this.lastLoc) return;
    this.lastLoc = key;
    this.emit(depth, `/* ${basename(this.file)}:${span.line}:${span.col} */`);
  }

  private emit(depth: number, text: string): void {
    this.lines.push(`${"\t".repeat(depth)}${text}`);
  }

  block(ss: IStmt[], depth: number): void {
    for (const s of ss) this.stmt(s, depth);
  }

  stmt(s: IStmt, depth: number): void {
    this.loc(s.span, depth);
    switch (s.kind) {
      case "decl":
        if (s.zero) {
          this.emit(depth, `${cDecl(s.ty, s.name)};`);
          this.emit(depth, `__builtin_memset(&${s.name}, 0, sizeof(${s.name}));`);
          if (s.init) this.emit(depth, `${s.name} = ${printExpr(s.init)};`);
        } else {
          this.emit(
            depth,
            s.init ? `${cDecl(s.ty, s.name)} = ${printExpr(s.init)};` : `${cDecl(s.ty, s.name)};`,
          );
        }
        return;
      case "assign":
        this.emit(depth, `${printExpr(s.target)} ${s.op} ${printExpr(s.value)};`);
        return;
      case "if":
        this.ifChain(s, depth, "if");
        return;
      case "loop":
        this.emit(depth, `for (${cDecl(s.varTy, s.var)} = ${s.lo}; ${s.var} < ${s.hi}; ${s.var}++) {`);
        this.emit(depth + 1, `nf_loop_var(${s.var});`);
        this.block(s.body, depth + 1);
        this.emit(depth, "}");
        return;
      case "break":
        this.emit(depth, "break;");
        return;
      case "eval":
        // A call is a statement; any other expression is evaluated for its effects only.
        this.emit(depth, s.expr.kind === "call" ? `${printExpr(s.expr)};` : `(void)(${printExpr(s.expr)});`);
        return;
      case "return":
        this.emit(depth, `return ${printExpr(s.value)};`);
        return;
      case "csum":
        this.emit(
          depth,
          `${s.fn}(${[{ kind: "addr" as const, of: s.sum, ty: s.sum.ty, span: s.span }, ...s.args].map(printExpr).join(", ")});`,
        );
        return;
      case "counter":
        throw new Error("counter statement reached codegen (counter-hoist pass not run)");
      case "block":
        this.emit(depth, "{");
        this.block(s.body, depth + 1);
        this.emit(depth, "}");
        return;
      default:
        return assertNever(s);
    }
  }

  private ifChain(s: IStmt & { kind: "if" }, depth: number, head: string): void {
    this.emit(depth, `${head} (${printExpr(s.cond)}) {`);
    this.block(s.then, depth + 1);
    const [only] = s.else;
    if (s.else.length === 1 && only?.kind === "if") {
      this.ifChainElse(only, depth);
      return;
    }
    if (s.else.length > 0) {
      this.emit(depth, "} else {");
      this.block(s.else, depth + 1);
    }
    this.emit(depth, "}");
  }

  private ifChainElse(s: IStmt & { kind: "if" }, depth: number): void {
    this.emit(depth, `} else if (${printExpr(s.cond)}) {`);
    this.block(s.then, depth + 1);
    const [only] = s.else;
    if (s.else.length === 1 && only?.kind === "if") return this.ifChainElse(only, depth);
    if (s.else.length > 0) {
      this.emit(depth, "} else {");
      this.block(s.else, depth + 1);
    }
    this.emit(depth, "}");
  }
}
