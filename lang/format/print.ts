// Declarations, statements and tests as prettier documents (expressions: print-expr.ts).
// Layout rules, all decided from the AST and, where the user has a choice, from the source:
//   - two-space indent; one item or statement per line; at most one blank line kept between them;
//   - a block written on one line stays on one line (`{ a; b }`) while it fits, otherwise one
//     statement per line; the same for `type`/`header` field lists;
//   - `;` only where the next statement would otherwise continue this one (`(`, `[`, `-`).
import type { AstPath, Doc } from "prettier";
import { doc } from "prettier";
import type { Block, Decl, MatchArm, Pattern, Stmt, TestStmt, TypeExpr } from "../ast.js";
import type { Comment } from "../syntax/lexer.js";
import { printExpr, startsAmbiguously, type Print } from "./print-expr.js";
import type { HeaderItem, Item, Role, Root, TestItem } from "./tree.js";

const { breakParent, group, hardline, ifBreak, indent, join, line, softline } = doc.builders;

export interface Ctx {
  text: string;
  role: (n: object) => Role | undefined;
}

/** Whether the line after offset `i` (past spaces and a trailing comment) is blank. */
export function blankLineAfter(text: string, i: number): boolean {
  let j = i;
  while (j < text.length && text[j] !== "\n") {
    if (text.startsWith("//", j)) {
      j = text.indexOf("\n", j);
      if (j < 0) return false;
      break;
    }
    j++;
  }
  if (j >= text.length) return false;
  for (let k = j + 1; k < text.length && text[k] !== "\n"; k++) if (!/[ \t\r]/.test(text[k]!)) return false;
  return j + 1 < text.length;
}

function oneLine(text: string, span: { start: number; end: number }): boolean {
  return !text.slice(span.start, span.end).includes("\n");
}

/** Comments attached inside a node with nothing around them (`{ // todo }`), marked printed. */
export function dangling(node: object): Doc[] {
  const cs = (
    (node as { comments?: (Comment & { leading?: boolean; trailing?: boolean; printed?: boolean })[] })
      .comments ?? []
  ).filter((c) => !c.leading && !c.trailing && !c.printed);
  return cs.map((c) => {
    c.printed = true;
    return c.block ? c.text : [c.text.trimEnd(), breakParent];
  });
}

/** `{ ... }` around printed entries: one line if `flat` was the user's layout and it fits. A
 *  comment on the line of the `{` (attached to the node by plugin.ts) stays right after it. */
function braced(entries: Doc[], node: object, flat: boolean, sep: Doc = ""): Doc {
  const d = dangling(node);
  if (entries.length === 0 && d.length === 0) return "{}";
  const after = d.length > 0 ? [" ", join(" ", d)] : "";
  if (entries.length === 0) return ["{", after, hardline, "}"];
  return group(["{", after, indent([line, ...entries]), sep, line, "}"], { shouldBreak: !flat });
}

/** Entries separated by lines, keeping one blank line where the source had one. */
function lines(path: AstPath, print: Print, key: string, ctx: Ctx, semi: (i: number) => boolean): Doc[] {
  const nodes = (path.node as Record<string, { span: { end: number } }[]>)[key]!;
  return path.map((p, i) => {
    if (i === nodes.length - 1) return print(p);
    const sep = semi(i) ? ";" : ifBreak("", ";");
    const blank = blankLineAfter(ctx.text, nodes[i]!.span.end);
    return [print(p), sep, line, blank ? softline : ""];
  }, key);
}

export function printNode(path: AstPath, print: Print, ctx: Ctx): Doc {
  const n = path.node as object;
  switch (ctx.role(n)) {
    case "root":
      return printRoot(path as AstPath<Root>, print, ctx);
    case "header": {
      const p = (n as HeaderItem).program;
      return [
        "nf ",
        p.name.name,
        " on ",
        p.hook === "xdp" ? "xdp" : p.hook === "tc_egress" ? "tc egress" : "tc ingress",
      ];
    }
    case "decl":
      return printDecl(path as AstPath<Decl>, print, ctx);
    case "test": {
      const t = n as TestItem;
      const body = lines(path, print, "body", ctx, (i) => testNeedsSemi(t.body[i + 1], ctx));
      return [
        "test ",
        ctx.text.slice(t.test.nameSpan.start, t.test.nameSpan.end),
        " ",
        braced(body, n, false),
      ];
    }
    case "testStmt":
      return printTestStmt(path as AstPath<TestStmt>, print, ctx);
    case "verdict": {
      const v = n as { kind: string };
      return v.kind === "redirect" ? ["redirect(", path.call(print, "ifindex"), ")"] : v.kind;
    }
    case "block":
      return printBlock(path as AstPath<Block>, print, ctx);
    case "stmt":
      return printStmt(path as AstPath<Stmt>, print, ctx);
    case "cond": {
      const c = n as { kind: "let" | "expr"; name?: { name: string } };
      return c.kind === "let"
        ? ["let ", c.name!.name, " = ", path.call(print, "value")]
        : path.call(print, "expr");
    }
    case "arm":
      return [join(", ", path.map(print, "patterns")), " => ", path.call(print, "body")];
    case "pattern": {
      const p = n as Pattern;
      if (p.kind === "wildcard") return "_";
      return p.kind === "range"
        ? [path.call(print, "lo"), "..", path.call(print, "hi")]
        : path.call(print, "value");
    }
    case "expr":
      return printExpr(path as never, print, ctx.text);
    case "type": {
      const t = n as TypeExpr;
      return t.kind === "bytes" ? ["bytes[", path.call(print, "len"), "]"] : t.name.name;
    }
    case "arg":
    case "stateArg": {
      const a = n as { name?: { name: string }; value?: unknown };
      if (a.name === undefined) return path.call(print, "value");
      return a.value === undefined ? a.name.name : [a.name.name, " = ", path.call(print, "value")];
    }
    case "field": {
      const f = n as { name: { name: string }; type?: unknown };
      return [f.name.name, ": ", path.call(print, f.type !== undefined ? "type" : "value")];
    }
    case undefined:
      throw new Error("nfc fmt: a node without a role (a bug in lang/format/tree.ts)");
  }
}

function printRoot(path: AstPath<Root>, print: Print, ctx: Ctx): Doc {
  const items = path.node.items;
  const parts = path.map((p, i) => {
    const it = items[i]!;
    if (i === items.length - 1) return print(p);
    return [print(p), hardline, blankLineAfter(ctx.text, it.span.end) ? hardline : ""];
  }, "items");
  return [...parts, ...dangling(path.node), hardline];
}

function printDecl(path: AstPath<Decl>, print: Print, ctx: Ctx): Doc {
  const d = path.node;
  switch (d.kind) {
    case "const":
    case "config":
      return [d.kind, " ", d.name.name, ": ", path.call(print, "type"), " = ", path.call(print, "value")];
    case "type":
    case "header":
    case "event": {
      const fields = join([",", line], path.map(print, "fields"));
      return [d.kind, " ", d.name.name, " ", braced([fields], d, oneLine(ctx.text, d.span), ifBreak(","))];
    }
    case "parse":
      return [
        "parse ",
        d.after.name,
        ".",
        d.field.name,
        " == ",
        path.call(print, "value"),
        " => ",
        d.header.name,
      ];
    case "state": {
      const types = d.typeArgs.length > 0 ? ["<", join(", ", path.map(print, "typeArgs")), ">"] : "";
      const args =
        d.args.length > 0
          ? group(["(", indent([softline, join([",", line], path.map(print, "args"))]), softline, ")"])
          : "";
      return [d.family, " ", d.name.name, ": ", d.blockKind.name, types, args];
    }
    case "counter":
      return ["counter ", d.names.map((x) => x.name).join(", ")];
    case "handler":
      return ["on ", d.event.name, " ", path.call(print, "body")];
  }
}

/** A block; an `else if` is a block holding one `if` without braces in the source. */
function printBlock(path: AstPath<Block>, print: Print, ctx: Ctx): Doc {
  const b = path.node;
  if (ctx.text[b.span.start] !== "{" && b.stmts.length === 1) return path.call(print, "stmts", 0);
  const body = lines(path, print, "stmts", ctx, (i) => stmtNeedsSemi(b.stmts[i + 1], ctx));
  return braced(body, b, oneLine(ctx.text, b.span));
}

function stmtNeedsSemi(next: Stmt | undefined, ctx: Ctx): boolean {
  if (next === undefined) return false;
  if (next.kind === "expr") return startsAmbiguously(next.expr, ctx.text);
  return next.kind === "assign" && startsAmbiguously(next.target, ctx.text);
}

function testNeedsSemi(next: TestStmt | undefined, ctx: Ctx): boolean {
  return next?.kind === "expect" && startsAmbiguously(next.expr, ctx.text);
}

function typeAndValue(path: AstPath, print: Print, hasType: boolean): Doc {
  return [hasType ? [": ", path.call(print, "type")] : "", " = ", path.call(print, "value")];
}

function printStmt(path: AstPath<Stmt>, print: Print, ctx: Ctx): Doc {
  const s = path.node;
  switch (s.kind) {
    case "let":
      return [
        "let ",
        s.name.name,
        typeAndValue(path, print, s.type !== undefined),
        s.else ? [" else ", path.call(print, "else")] : "",
      ];
    case "var":
      return ["var ", s.name.name, typeAndValue(path, print, s.type !== undefined)];
    case "assign":
      return [path.call(print, "target"), " ", s.op, " ", path.call(print, "value")];
    case "if":
      return [
        "if ",
        path.call(print, "cond"),
        " ",
        path.call(print, "then"),
        s.else ? [" else ", path.call(print, "else")] : "",
      ];
    case "match": {
      const arms = path.map(print, "arms");
      const d = dangling(s);
      const body = [...arms, ...d];
      return [
        "match ",
        path.call(print, "scrutinee"),
        " ",
        body.length === 0
          ? "{}"
          : ["{", indent([hardline, join(hardline, armLines(path, body, ctx))]), hardline, "}"],
      ];
    }
    case "for":
      return [
        "for ",
        s.var.name,
        " in ",
        path.call(print, "lo"),
        "..",
        path.call(print, "hi"),
        " ",
        path.call(print, "body"),
      ];
    case "repeat":
      return ["repeat ", path.call(print, "count"), " ", path.call(print, "body")];
    case "break":
      return "break";
    case "expr":
      return path.call(print, "expr");
    case "verdict":
      return s.verdict;
    case "redirect":
      return ["redirect(", path.call(print, "ifindex"), ")"];
    case "emit":
      return [
        "emit ",
        s.event.name,
        " ",
        emitFields(path, print, ctx),
        s.every ? [" every ", path.call(print, "every")] : "",
      ];
    case "error":
      return ctx.text.slice(s.span.start, s.span.end);
  }
}

/** `{ f = e, g = e }` of an `emit` or `expect event`: one line while it fits, as a struct's fields. */
function emitFields(path: AstPath, print: Print, ctx: Ctx): Doc {
  const n = path.node as { fields: unknown[]; span: { start: number; end: number } };
  if (n.fields.length === 0) return "{}";
  const fields = join([",", line], path.map(print, "fields"));
  return braced([fields], n, oneLine(ctx.text, n.span), ifBreak(","));
}

/** Match arms, one per line, keeping a blank line the source had after an arm. */
function armLines(path: AstPath<Stmt>, printed: Doc[], ctx: Ctx): Doc[] {
  const arms = (path.node as { arms: MatchArm[] }).arms;
  return printed.map((d, i) =>
    i < arms.length - 1 && blankLineAfter(ctx.text, arms[i]!.span.end) ? [d, softline] : d,
  );
}

function printTestStmt(path: AstPath<TestStmt>, print: Print, ctx: Ctx): Doc {
  const s = path.node;
  switch (s.kind) {
    case "config":
      return ["config ", s.name.name, " = ", path.call(print, "value")];
    case "entry":
      return ["entry ", s.table.name, "[", path.call(print, "key"), "] = ", path.call(print, "value")];
    case "packet": {
      // a long one: the packet, then `=> verdict as` and the expected output, each indented
      const out = s.output ? [" as", indent([line, path.call(print, "output")])] : "";
      const verdict = s.expect ? indent([line, "=> ", path.call(print, "expect"), out]) : "";
      return group(["packet ", path.call(print, "packet"), verdict]);
    }
    case "repeat": {
      const body = lines(path, print, "body", ctx, (i) => testNeedsSemi(s.body[i + 1], ctx));
      return ["repeat ", path.call(print, "count"), " ", braced(body, s, oneLine(ctx.text, s.span))];
    }
    case "expect":
      return ["expect ", path.call(print, "expr")];
    case "expectEvent":
      return ["expect event ", s.event.name, " ", emitFields(path, print, ctx)];
    case "error":
      return ctx.text.slice(s.span.start, s.span.end);
  }
}

export type { Item };
