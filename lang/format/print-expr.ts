// Expressions and types as prettier documents. The AST drops parentheses, so they are put back
// where precedence needs them, and kept where the user wrote them (a parenthesised node's span
// starts at its `(`). Literals print their source text (`0x0800`, `::1`, escapes kept).
import type { AstPath, Doc } from "prettier";
import { doc } from "prettier";
import type { BinaryOp, Expr } from "../ast.js";

const { group, indent, join, line, softline } = doc.builders;

export type Print = (path: AstPath) => Doc;

/** Binding strength (higher binds tighter); the grammar's levels, loosest first. */
const PREC: Record<BinaryOp, number> = {
  "||": 1,
  "&&": 2,
  "==": 3,
  "!=": 3,
  "<": 3,
  "<=": 3,
  ">": 3,
  ">=": 3,
  "|": 4,
  "^": 5,
  "&": 6,
  "<<": 7,
  ">>": 7,
  "+": 8,
  "-": 8,
  "*": 9,
  "/": 9,
  "%": 9,
};
const UNARY = 10;
const POSTFIX = 11;
const ATOM = 12;

export function precedence(e: Expr): number {
  switch (e.kind) {
    case "binary":
      return PREC[e.op];
    case "unary":
      return UNARY;
    case "cast":
    case "field":
    case "index":
    case "method":
      return POSTFIX;
    default:
      return ATOM;
  }
}

/** The node's leftmost child, for nodes whose text starts with that child. */
function leftChild(e: Expr): Expr | undefined {
  switch (e.kind) {
    case "binary":
      return e.left;
    case "cast":
      return e.expr;
    case "field":
    case "index":
      return e.base;
    case "method":
      return e.target;
    default:
      return undefined;
  }
}

/** Did the user write parentheses around `e`? (the parser widens a parenthesised node's span) */
export function userParens(e: Expr, text: string): boolean {
  const left = leftChild(e);
  return left !== undefined ? e.span.start < left.span.start : text[e.span.start] === "(";
}

/** Whether the printed `e` starts with `(`, `[` or `-`: such a statement must follow a `;`
 *  (newlines are insignificant: `f()` then `(x)...` on the next line would be a call). */
export function startsAmbiguously(e: Expr, text: string): boolean {
  for (let cur: Expr | undefined = e; cur !== undefined; cur = leftChild(cur)) {
    if (userParens(cur, text)) return true;
    const l = leftChild(cur);
    if (l !== undefined && precedence(l) < precedence(cur)) return true;
    if (cur.kind === "unary") return cur.op === "-";
  }
  return false;
}

function wrap(d: Doc, parens: boolean): Doc {
  return parens ? ["(", d, ")"] : d;
}

/** Prints the child at `key` of the current expression, in parentheses when `need` says so or
 *  the user wrote them. */
function child(path: AstPath, print: Print, text: string, key: string, need: (c: Expr) => boolean): Doc {
  const c = (path.node as Record<string, Expr>)[key]!;
  return wrap(path.call(print, key), need(c) && !userParens(c, text));
}

function argList(path: AstPath, print: Print): Doc {
  const n = path.node as { args: unknown[] };
  if (n.args.length === 0) return "()";
  if (n.args.length === 1) return ["(", path.call(print, "args", 0), ")"]; // `hex("...")` never splits
  return group(["(", indent([softline, join([",", line], path.map(print, "args"))]), softline, ")"]);
}

export function printExpr(path: AstPath<Expr>, print: Print, text: string): Doc {
  const e = path.node;
  return wrap(printBare(path, print, text, e), userParens(e, text));
}

function printBare(path: AstPath, print: Print, text: string, e: Expr): Doc {
  switch (e.kind) {
    case "int":
      return e.text;
    case "decimal":
      return e.text;
    case "bool":
      return e.value ? "true" : "false";
    case "ip4":
    case "ip6":
    case "mac":
    case "prefix":
    case "string":
      return sourceOf(e, text);
    case "name":
      return e.name.name;
    case "field":
      return [child(path, print, text, "base", (c) => precedence(c) < POSTFIX), ".", e.field.name];
    case "index":
      return [
        child(path, print, text, "base", (c) => precedence(c) < POSTFIX),
        "[",
        path.call(print, "index"),
        "]",
      ];
    case "call":
      return [e.callee.name, argList(path, print)];
    case "method":
      return [
        child(path, print, text, "target", (c) => precedence(c) < POSTFIX),
        ".",
        e.method.name,
        argList(path, print),
      ];
    case "binary": {
      const [first, ...tails] = chain(path, print, text);
      return group([first, indent(tails)]);
    }
    case "unary":
      return [e.op, child(path, print, text, "operand", (c) => precedence(c) < UNARY)];
    case "cast":
      return [
        child(path, print, text, "expr", (c) => precedence(c) < POSTFIX),
        " as ",
        path.call(print, "type"),
      ];
    case "struct": {
      const fields = path.map(print, "fields"); // role "field": `name: value`
      return group([e.type.name, " {", indent([line, join([",", line], fields)]), line, "}"]);
    }
    case "error":
      return sourceOf(e, text);
  }
}

/** `a / b / c`, a left-nested chain of one precedence level, as its first operand and one
 *  `op right` per operator, so that a long chain breaks after every operator (one packet layer
 *  per line). An inner node with parentheses or comments of its own is printed as a unit. */
function chain(path: AstPath, print: Print, text: string): Doc[] {
  const e = path.node as Expr & { kind: "binary" };
  const p = PREC[e.op];
  const l = e.left as Expr & { comments?: unknown[] };
  const inner = l.kind === "binary" && PREC[l.op] === p && !userParens(l, text) && !l.comments?.length;
  const head = inner
    ? path.call((q) => chain(q, print, text), "left")
    : [child(path, print, text, "left", (c) => precedence(c) < p)];
  return [...head, [" ", e.op, line, child(path, print, text, "right", (c) => precedence(c) <= p)]];
}

/** A literal's text as written, without the parentheses the span may include. */
function sourceOf(e: Expr, text: string): string {
  let s = e.span.start;
  let t = e.span.end;
  while (text[s] === "(" && text[t - 1] === ")") {
    s++;
    t--;
    while (/\s/.test(text[s] ?? "")) s++;
    while (/\s/.test(text[t - 1] ?? "")) t--;
  }
  return text.slice(s, t);
}
