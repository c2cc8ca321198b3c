// The tree the formatter prints: the parser's AST (lang/ast.ts) as it is, plus a role for every
// node that is printed as a unit and may carry comments. Roles live in a side table (the AST is
// not copied or changed), because `kind` alone is ambiguous across unions (`let` is a statement
// and a condition, `repeat` a statement and a test statement). `keys` lists, per node, the
// properties holding its children: prettier attaches comments by walking them.
import type {
  Block,
  Decl,
  Expr,
  MatchArm,
  Pattern,
  Program,
  Stmt,
  TestDecl,
  TestStmt,
  TypeExpr,
} from "../ast.js";
import type { Comment } from "../syntax/lexer.js";

export type Role =
  | "root"
  | "header"
  | "decl"
  | "test"
  | "testStmt"
  | "verdict"
  | "block"
  | "stmt"
  | "cond"
  | "arm"
  | "pattern"
  | "expr"
  | "type"
  | "arg"
  | "stateArg"
  | "field";

/** The `nf NAME on HOOK` line, which the AST keeps on Program. */
export interface HeaderItem {
  kind: "nfHeader";
  program: Program;
  span: { start: number; end: number };
}

export interface TestItem {
  kind: "test";
  test: TestDecl;
  /** = test.body (the children prettier walks for comments). */
  body: TestStmt[];
  span: { start: number; end: number };
}

export type Item = HeaderItem | Decl | TestItem;

export interface Root {
  kind: "root";
  items: Item[];
  comments: Comment[];
  span: { start: number; end: number };
}

export interface Tables {
  role: WeakMap<object, Role>;
  keys: WeakMap<object, string[]>;
}

/** Builds the tree of a parsed program, recording roles and child keys in `tables`. */
export function buildTree(
  program: Program,
  comments: Comment[],
  text: string,
  tables: Tables = { role: new WeakMap(), keys: new WeakMap() },
): Root {
  const { role, keys } = tables;
  const mark = (n: object, r: Role, ks: string[] = []): void => {
    role.set(n, r);
    keys.set(n, ks);
  };
  const nfAt = text.lastIndexOf("nf", program.name.span.start);
  const header: HeaderItem = {
    kind: "nfHeader",
    program,
    span: { start: nfAt < 0 ? program.name.span.start : nfAt, end: program.hookSpan.end },
  };
  const tests: TestItem[] = (program.tests ?? []).map((t) => ({
    kind: "test",
    test: t,
    body: t.body,
    span: t.span,
  }));
  const items: Item[] = [header, ...program.decls, ...tests].sort((a, b) => a.span.start - b.span.start);
  const root: Root = { kind: "root", items, comments, span: { start: 0, end: text.length } };
  mark(root, "root", ["items"]);
  mark(header, "header");

  const type = (t: TypeExpr): void => {
    if (t.kind === "bytes") {
      mark(t, "type", ["len"]);
      expr(t.len);
    } else mark(t, "type");
  };
  const expr = (e: Expr): void => {
    switch (e.kind) {
      case "int":
      case "decimal":
      case "bool":
      case "ip4":
      case "ip6":
      case "mac":
      case "prefix":
      case "string":
      case "name":
      case "error":
        return mark(e, "expr");
      case "field":
        mark(e, "expr", ["base"]);
        return expr(e.base);
      case "index":
        mark(e, "expr", ["base", "index"]);
        expr(e.base);
        return expr(e.index);
      case "call":
        mark(e, "expr", ["args"]);
        return args(e.args);
      case "method":
        mark(e, "expr", ["target", "args"]);
        expr(e.target);
        return args(e.args);
      case "binary":
        mark(e, "expr", ["left", "right"]);
        expr(e.left);
        return expr(e.right);
      case "unary":
        mark(e, "expr", ["operand"]);
        return expr(e.operand);
      case "cast":
        mark(e, "expr", ["expr", "type"]);
        expr(e.expr);
        return type(e.type);
      case "struct":
        mark(e, "expr", ["fields"]);
        for (const f of e.fields) {
          mark(f, "field", ["value"]);
          expr(f.value);
        }
        return;
    }
  };
  const args = (as: { value: Expr }[]): void => {
    for (const a of as) {
      mark(a, "arg", ["value"]);
      expr(a.value);
    }
  };
  const block = (b: Block): void => {
    mark(b, "block", ["stmts"]);
    for (const s of b.stmts) stmt(s);
  };
  const pattern = (p: Pattern): void => {
    if (p.kind === "value") {
      mark(p, "pattern", ["value"]);
      expr(p.value);
    } else if (p.kind === "range") {
      mark(p, "pattern", ["lo", "hi"]);
      expr(p.lo);
      expr(p.hi);
    } else mark(p, "pattern");
  };
  const arm = (a: MatchArm): void => {
    mark(a, "arm", ["patterns", "body"]);
    for (const p of a.patterns) pattern(p);
    block(a.body);
  };
  const stmt = (s: Stmt): void => {
    switch (s.kind) {
      case "let":
        mark(s, "stmt", ["type", "value", "else"]);
        if (s.type) type(s.type);
        expr(s.value);
        if (s.else) block(s.else);
        return;
      case "var":
        mark(s, "stmt", ["type", "value"]);
        if (s.type) type(s.type);
        return expr(s.value);
      case "assign":
        mark(s, "stmt", ["target", "value"]);
        expr(s.target);
        return expr(s.value);
      case "if":
        mark(s, "stmt", ["cond", "then", "else"]);
        mark(s.cond, "cond", ["expr", "value"]);
        expr(s.cond.kind === "expr" ? s.cond.expr : s.cond.value);
        block(s.then);
        if (s.else) block(s.else);
        return;
      case "match":
        mark(s, "stmt", ["scrutinee", "arms"]);
        expr(s.scrutinee);
        for (const a of s.arms) arm(a);
        return;
      case "for":
        mark(s, "stmt", ["lo", "hi", "body"]);
        expr(s.lo);
        expr(s.hi);
        return block(s.body);
      case "repeat":
        mark(s, "stmt", ["count", "body"]);
        expr(s.count);
        return block(s.body);
      case "expr":
        mark(s, "stmt", ["expr"]);
        return expr(s.expr);
      case "redirect":
        mark(s, "stmt", ["ifindex"]);
        return expr(s.ifindex);
      case "emit":
        mark(s, "stmt", ["fields", "every"]);
        args(s.fields);
        if (s.every) expr(s.every);
        return;
      case "break":
      case "verdict":
      case "error":
        return mark(s, "stmt");
    }
  };
  const testStmt = (s: TestStmt): void => {
    switch (s.kind) {
      case "config":
        mark(s, "testStmt", ["value"]);
        return expr(s.value);
      case "entry":
        mark(s, "testStmt", ["key", "value"]);
        expr(s.key);
        return expr(s.value);
      case "packet":
        mark(s, "testStmt", ["packet", "expect", "output"]);
        expr(s.packet);
        if (s.expect) {
          mark(s.expect, "verdict", s.expect.kind === "redirect" ? ["ifindex"] : []);
          if (s.expect.kind === "redirect") expr(s.expect.ifindex);
        }
        if (s.output) expr(s.output);
        return;
      case "repeat":
        mark(s, "testStmt", ["count", "body"]);
        expr(s.count);
        for (const t of s.body) testStmt(t);
        return;
      case "expect":
        mark(s, "testStmt", ["expr"]);
        return expr(s.expr);
      case "expectEvent":
        mark(s, "testStmt", ["fields"]);
        return args(s.fields);
      case "error":
        return mark(s, "testStmt");
    }
  };
  const decl = (d: Decl): void => {
    switch (d.kind) {
      case "const":
      case "config":
        mark(d, "decl", ["type", "value"]);
        type(d.type);
        return expr(d.value);
      case "type":
      case "header":
      case "event":
        mark(d, "decl", ["fields"]);
        for (const f of d.fields) {
          mark(f, "field", ["type"]);
          type(f.type);
        }
        return;
      case "parse":
        mark(d, "decl", ["value"]);
        return expr(d.value);
      case "state":
        mark(d, "decl", ["typeArgs", "args"]);
        for (const t of d.typeArgs) type(t);
        for (const a of d.args) {
          mark(a, "stateArg", ["value"]);
          if (a.value) expr(a.value);
        }
        return;
      case "counter":
        return mark(d, "decl");
      case "handler":
        mark(d, "decl", ["body"]);
        return block(d.body);
    }
  };
  for (const it of items) {
    if (it.kind === "nfHeader") continue;
    if (it.kind === "test") {
      mark(it, "test", ["body"]);
      for (const s of it.body) testStmt(s);
    } else decl(it);
  }
  return root;
}
