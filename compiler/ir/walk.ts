// Generic IR traversal for passes: bottom-up rewriting of expressions and statements, and visits.
import { assertNever } from "../../lang/types.js";
import type { IExpr, IStmt } from "./ir.js";

/** Rewrites every expression bottom-up (children first, then `f` on the node). */
export function mapExpr(e: IExpr, f: (e: IExpr) => IExpr): IExpr {
  const r = (x: IExpr) => mapExpr(x, f);
  switch (e.kind) {
    case "int":
    case "bool":
    case "var":
    case "hdr":
    case "mapref":
      return f(e);
    case "pkt":
      return f({ ...e, ptr: r(e.ptr) });
    case "member":
      return f({ ...e, base: r(e.base) });
    case "index":
      return f({ ...e, base: r(e.base), index: r(e.index) });
    case "deref":
      return f({ ...e, ptr: r(e.ptr) });
    case "addr":
      return f({ ...e, of: r(e.of) });
    case "binary":
      return f({ ...e, left: r(e.left), right: r(e.right) });
    case "unary":
      return f({ ...e, operand: r(e.operand) });
    case "cast":
      return f({ ...e, expr: r(e.expr) });
    case "cond":
      return f({ ...e, cond: r(e.cond), then: r(e.then), else: r(e.else) });
    case "call":
      return f({ ...e, args: e.args.map(r) });
    default:
      return assertNever(e);
  }
}

/** Rewrites all expressions inside statements (recursively), keeping statement structure. */
export function mapStmtExprs(ss: IStmt[], f: (e: IExpr) => IExpr): IStmt[] {
  return ss.map((s) => mapStmtExpr(s, f));
}

function mapStmtExpr(s: IStmt, f: (e: IExpr) => IExpr): IStmt {
  const r = (x: IExpr) => mapExpr(x, f);
  switch (s.kind) {
    case "decl":
      return s.init ? { ...s, init: r(s.init) } : s;
    case "assign":
      return { ...s, target: r(s.target), value: r(s.value) };
    case "if":
      return { ...s, cond: r(s.cond), then: mapStmtExprs(s.then, f), else: mapStmtExprs(s.else, f) };
    case "loop":
      return { ...s, body: mapStmtExprs(s.body, f) };
    case "break":
      return s;
    case "eval":
      return { ...s, expr: r(s.expr) };
    case "return":
      return { ...s, value: r(s.value) };
    case "csum":
      return { ...s, sum: r(s.sum), args: s.args.map(r) };
    case "counter":
      return { ...s, value: r(s.value) };
    case "block":
      return { ...s, body: mapStmtExprs(s.body, f) };
    default:
      return assertNever(s);
  }
}

/** Rewrites statement lists bottom-up: `f` sees each list after its nested lists were rewritten. */
export function mapStmtLists(ss: IStmt[], f: (ss: IStmt[]) => IStmt[]): IStmt[] {
  const inner = ss.map((s): IStmt => {
    switch (s.kind) {
      case "if":
        return { ...s, then: mapStmtLists(s.then, f), else: mapStmtLists(s.else, f) };
      case "loop":
        return { ...s, body: mapStmtLists(s.body, f) };
      case "block":
        return { ...s, body: mapStmtLists(s.body, f) };
      default:
        return s;
    }
  });
  return f(inner);
}

/** The expressions a statement holds directly (not those of nested statements). */
export function ownExprs(s: IStmt): IExpr[] {
  switch (s.kind) {
    case "decl":
      return s.init ? [s.init] : [];
    case "assign":
      return [s.target, s.value];
    case "if":
      return [s.cond];
    case "eval":
      return [s.expr];
    case "return":
      return [s.value];
    case "csum":
      return [s.sum, ...s.args];
    case "counter":
      return [s.value];
    case "loop":
    case "break":
    case "block":
      return [];
    default:
      return assertNever(s);
  }
}

/** Calls `onStmt` on every statement (pre-order) and `onExpr` on every expression node. */
export function visit(ss: IStmt[], onStmt: (s: IStmt) => void, onExpr: (e: IExpr) => void = () => {}): void {
  for (const s of ss) {
    onStmt(s);
    for (const e of ownExprs(s)) {
      mapExpr(e, (x) => {
        onExpr(x);
        return x;
      });
    }
    if (s.kind === "if") {
      visit(s.then, onStmt, onExpr);
      visit(s.else, onStmt, onExpr);
    } else if (s.kind === "loop" || s.kind === "block") visit(s.body, onStmt, onExpr);
  }
}
