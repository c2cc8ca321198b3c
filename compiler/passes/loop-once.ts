// A loop whose body cannot finish an iteration (every path returns a verdict, none breaks out of
// this loop) runs its body exactly once, with the variable at `lo`: it becomes a block. The
// checker accepts such a loop as the handler's last statement (it knows the trip count is ≥ 1),
// but clang does not and rejects the function under -Wreturn-type ("non-void function does not
// return a value in all control paths"). The rewrite is exact, so the interpreter needs no twin.
// The block keeps only reachable statements: a `break` after an inner loop this pass turned into a
// block (one that always returns) is dead, and outside a C loop clang rejects it.
import { decl, int } from "../ir/build.js";
import type { IStmt } from "../ir/ir.js";
import { mapStmtLists } from "../ir/walk.js";
import type { Pass } from "./pass.js";

/** How control leaves a statement list: by reaching its end, or by `break` (innermost loop). */
interface Exit {
  falls: boolean;
  breaks: boolean;
}

export function exitOf(ss: readonly IStmt[]): Exit {
  let breaks = false;
  for (const s of ss) {
    const e = stmtExit(s);
    breaks ||= e.breaks;
    if (!e.falls) return { falls: false, breaks };
  }
  return { falls: true, breaks };
}

function stmtExit(s: IStmt): Exit {
  switch (s.kind) {
    case "return":
      return { falls: false, breaks: false };
    case "break":
      return { falls: false, breaks: true };
    case "if": {
      const a = exitOf(s.then);
      const b = exitOf(s.else);
      return { falls: a.falls || b.falls, breaks: a.breaks || b.breaks };
    }
    case "block":
      return exitOf(s.body);
    case "loop": {
      // A nested loop's `break` leaves only that loop.
      const b = exitOf(s.body);
      return { falls: s.lo >= s.hi || b.falls || b.breaks, breaks: false };
    }
    default:
      return { falls: true, breaks: false };
  }
}

function once(ss: IStmt[]): IStmt[] {
  return ss.map((s): IStmt => {
    if (s.kind !== "loop" || s.lo >= s.hi) return s;
    const b = exitOf(s.body);
    if (b.falls || b.breaks) return s;
    const v = decl(s.var, s.varTy, s.span, int(s.lo, s.varTy, s.span));
    return { kind: "block", body: [v, ...reachable(s.body)], span: s.span };
  });
}

/** `ss` without the statements after one that never falls through (in nested ifs and blocks too;
 *  a nested loop's body is its own). No `break` of the loop survives: exitOf found none reachable. */
function reachable(ss: readonly IStmt[]): IStmt[] {
  const out: IStmt[] = [];
  for (const s of ss) {
    const t: IStmt =
      s.kind === "if"
        ? { ...s, then: reachable(s.then), else: reachable(s.else) }
        : s.kind === "block"
          ? { ...s, body: reachable(s.body) }
          : s;
    out.push(t);
    if (!stmtExit(t).falls) break;
  }
  return out;
}

export const loopOnce: Pass = {
  name: "loop-once",
  why: "a loop whose body always returns runs once: emit it as a block so clang sees every path return",
  run: (ir) => ({ ...ir, handler: { ...ir.handler, body: mapStmtLists(ir.handler.body, once) } }),
};
