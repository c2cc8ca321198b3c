// Nesting limits (docs/LANGUAGE.md "Limits"). Every phase after the lexer — the chevrotain
// parser, the checker, the interpreter, the lowering, the passes and the C printer — walks the
// program recursively, and clang refuses C nested deeper than 256 brackets. So nesting is bounded
// here, before anything recurses, by scans that do not recurse themselves:
//   - `scanTokens` (before parsing): bracket depth, runs of unary operators, `else if` chains and
//     `match` arms, counted on the token list;
//   - `checkExprDepth` (after the AST is built; binary chains and postfix chains are flat in the
//     CST and folded by loops): the depth of every expression tree, measured with an explicit stack.
// The limits are far above what real programs need and far below where any phase runs out of
// stack (the fuzz and limit tests build programs at each limit and compile them with clang).
import type { IToken } from "chevrotain";
import type { Block, Expr, Program, Stmt, TestStmt, TypeExpr } from "../ast.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { diag } from "../diagnostics/catalogue.js";
import type { Spanner } from "./spans.js";
import * as T from "./tokens.js";
import { assertNever } from "../types.js";

/** `(`, `[` and `{` nested in one another, counted together (NF1023). */
export const MAX_BRACKET_DEPTH = 32;
/** Levels of one expression tree: each operator, call, cast, index or field access (NF1024). */
export const MAX_EXPR_DEPTH = 64;
/** Branches of one `if` / `else if` chain (NF1025). */
export const MAX_ELSE_IF = 256;
/** Arms of one `match` (NF1026). */
export const MAX_MATCH_ARMS = 512;

const OPEN = new Set([T.LParen, T.LBracket, T.LCurly]);
const CLOSE = new Set([T.RParen, T.RBracket, T.RCurly]);

/** Token-level limits. Reports at most one diagnostic per limit (the first place it is exceeded). */
export function scanTokens(tokens: IToken[], sp: Spanner): Diagnostic[] {
  const out: Diagnostic[] = [];
  const said = new Set<string>();
  const report = (code: "NF1023" | "NF1024" | "NF1025" | "NF1026", d: Diagnostic): void => {
    if (said.has(code)) return;
    said.add(code);
    out.push(d);
  };
  let depth = 0;
  let unaryRun = 0;
  /** Per depth: `else if` links of the chain running at that depth. */
  const chain: number[] = [0];
  /** Per depth: arms seen when this depth is a `match` body, else -1. */
  const arms: number[] = [-1];
  /** Per depth: a `match` whose `{` has not come yet. */
  const pendingMatch: boolean[] = [false];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const tt = t.tokenType;
    if (tt === T.Bang || tt === T.Tilde || tt === T.Minus) {
      unaryRun++;
      if (unaryRun === MAX_EXPR_DEPTH + 1)
        report("NF1024", diag("NF1024", sp.tok(t), { limit: MAX_EXPR_DEPTH, what: "unary" }));
    } else unaryRun = 0;
    if (OPEN.has(tt)) {
      const bodyOfMatch = tt === T.LCurly && pendingMatch[depth] === true && !isStructLiteral(tokens, i);
      if (bodyOfMatch) pendingMatch[depth] = false;
      depth++;
      chain[depth] = 0;
      arms[depth] = bodyOfMatch ? 0 : -1;
      pendingMatch[depth] = false;
      if (depth === MAX_BRACKET_DEPTH + 1)
        report("NF1023", diag("NF1023", sp.tok(t), { limit: MAX_BRACKET_DEPTH }));
      continue;
    }
    if (CLOSE.has(tt)) {
      if (depth > 0) depth--;
      // a chain continues only through `} else`
      if (tt === T.RCurly && tokens[i + 1]?.tokenType !== T.Else) chain[depth] = 0;
      continue;
    }
    if (tt === T.Match) pendingMatch[depth] = true;
    else if (tt === T.FatArrow && (arms[depth] ?? -1) >= 0) {
      arms[depth]!++;
      if (arms[depth] === MAX_MATCH_ARMS + 1)
        report("NF1026", diag("NF1026", sp.tok(t), { limit: MAX_MATCH_ARMS }));
    } else if (tt === T.If && tokens[i - 1]?.tokenType === T.Else) {
      chain[depth] = (chain[depth] ?? 0) + 1;
      if (chain[depth] === MAX_ELSE_IF)
        report(
          "NF1025",
          diag("NF1025", sp.span(tokens[i - 1]!.startOffset, t.startOffset + t.image.length), {
            limit: MAX_ELSE_IF,
          }),
        );
    }
  }
  return out;
}

/** `T { f :` — the parser's struct-literal gate, seen from the `{`. */
function isStructLiteral(tokens: IToken[], brace: number): boolean {
  const field = tokens[brace + 1]?.tokenType;
  return (
    tokens[brace - 1]?.tokenType === T.Identifier &&
    field !== undefined &&
    T.isFieldName(field) &&
    tokens[brace + 2]?.tokenType === T.Colon
  );
}

/** NF1024 for every root expression whose tree is deeper than MAX_EXPR_DEPTH. Statements nest at
 *  most MAX_BRACKET_DEPTH deep (braces), so walking them recursively is safe; expressions are
 *  measured with an explicit stack. */
export function checkExprDepth(program: Program): Diagnostic[] {
  const out: Diagnostic[] = [];
  const expr = (e: Expr | undefined): void => {
    if (e === undefined) return;
    const depth = exprDepth(e);
    if (depth > MAX_EXPR_DEPTH)
      out.push(diag("NF1024", e.span, { limit: MAX_EXPR_DEPTH, what: "tree", depth }));
  };
  const type = (t: TypeExpr | undefined): void => {
    if (t?.kind === "bytes") expr(t.len);
  };
  const block = (b: Block | undefined): void => b?.stmts.forEach(stmt);
  const stmt = (s: Stmt): void => {
    switch (s.kind) {
      case "let":
        type(s.type);
        expr(s.value);
        block(s.else);
        return;
      case "var":
        type(s.type);
        expr(s.value);
        return;
      case "assign":
        expr(s.target);
        expr(s.value);
        return;
      case "if":
        expr(s.cond.kind === "expr" ? s.cond.expr : s.cond.value);
        block(s.then);
        block(s.else);
        return;
      case "match":
        expr(s.scrutinee);
        for (const a of s.arms) {
          for (const p of a.patterns) {
            if (p.kind === "value") expr(p.value);
            else if (p.kind === "range") (expr(p.lo), expr(p.hi));
          }
          block(a.body);
        }
        return;
      case "for":
        expr(s.lo);
        expr(s.hi);
        block(s.body);
        return;
      case "repeat":
        expr(s.count);
        block(s.body);
        return;
      case "expr":
        expr(s.expr);
        return;
      case "redirect":
        expr(s.ifindex);
        return;
      case "emit":
        s.fields.forEach((f) => expr(f.value));
        expr(s.every);
        return;
      case "break":
      case "verdict":
      case "error":
        return;
      default:
        assertNever(s);
    }
  };
  const testStmt = (s: TestStmt): void => {
    switch (s.kind) {
      case "config":
      case "expect":
        expr(s.kind === "config" ? s.value : s.expr);
        return;
      case "entry":
        expr(s.key);
        expr(s.value);
        return;
      case "packet":
        expr(s.packet);
        expr(s.output);
        if (s.expect?.kind === "redirect") expr(s.expect.ifindex);
        return;
      case "repeat":
        expr(s.count);
        s.body.forEach(testStmt);
        return;
      case "expectEvent":
        s.fields.forEach((f) => expr(f.value));
        return;
      case "error":
        return;
      default:
        assertNever(s);
    }
  };
  for (const d of program.decls) {
    switch (d.kind) {
      case "const":
      case "config":
        type(d.type);
        expr(d.value);
        break;
      case "type":
      case "header":
      case "event":
        d.fields.forEach((f) => type(f.type));
        break;
      case "parse":
        expr(d.value);
        break;
      case "state":
        d.typeArgs.forEach(type);
        d.args.forEach((a) => expr(a.value));
        break;
      case "handler":
        block(d.body);
        break;
      case "counter":
        break;
      default:
        assertNever(d);
    }
  }
  for (const t of program.tests ?? []) t.body.forEach(testStmt);
  return out;
}

/** Height of an expression tree (a leaf is 1), without recursion. */
export function exprDepth(root: Expr): number {
  let max = 0;
  const stack: [Expr, number][] = [[root, 1]];
  while (stack.length > 0) {
    const [e, d] = stack.pop()!;
    if (d > max) max = d;
    for (const c of children(e)) stack.push([c, d + 1]);
  }
  return max;
}

function children(e: Expr): Expr[] {
  switch (e.kind) {
    case "int":
    case "decimal":
    case "bool":
    case "ip4":
    case "ip6":
    case "mac":
    case "string":
    case "name":
    case "error":
      return [];
    case "prefix":
      return [e.addr];
    case "field":
      return [e.base];
    case "index":
      return [e.base, e.index];
    case "call":
      return e.args.map((a) => a.value);
    case "method":
      return [e.target, ...e.args.map((a) => a.value)];
    case "binary":
      return [e.left, e.right];
    case "unary":
      return [e.operand];
    case "cast":
      return e.type.kind === "bytes" ? [e.expr, e.type.len] : [e.expr];
    case "struct":
      return e.fields.map((f) => f.value);
    default:
      return assertNever(e);
  }
}
