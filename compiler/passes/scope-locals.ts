// Scope locals: every local lives in the smallest `{ }` block that holds its declaration and its
// last use. Lowering declares each statement's temporaries (map keys, values, hashes) in the
// enclosing statement list, so in C they all live to the end of the handler and clang gives each its
// own stack slot: a long handler of map operations overflows BPF's 512 bytes although no statement
// needs more than a few dozen. Inside a block clang's lifetime markers let siblings share slots.
//
// The rule, per statement list: a segment [a, b] may become a block when every local declared in it
// is last used inside it (liveness, not guesses about which statement made which temporary). From
// each declaration the segment grows to the last use of every local it contains; a segment that
// reaches the end of its list gains nothing and stays as it is. A new block's body is scoped again. Locals used later (a `let` read by
// the rest of the handler, a hash reused by hash-cse) simply stay in their list.
import type { IStmt } from "../ir/ir.js";
import { mapExpr, mapStmtLists, ownExprs, visit } from "../ir/walk.js";
import type { Pass } from "./pass.js";

const seen = new WeakMap<IStmt, Set<string>>();

/** Names of the locals a statement mentions, its nested statements included. */
function mentions(s: IStmt): Set<string> {
  const known = seen.get(s);
  if (known) return known;
  const out = new Set<string>();
  seen.set(s, out);
  visit([s], (x) => {
    if (x.kind === "loop") out.add(x.var);
    for (const e of ownExprs(x))
      mapExpr(e, (y) => {
        if (y.kind === "var") out.add(y.name);
        return y;
      });
  });
  return out;
}

export function scopeList(ss: IStmt[]): IStmt[] {
  const last = new Map<string, number>();
  ss.forEach((s, j) => {
    for (const name of mentions(s)) last.set(name, j);
  });
  const lastUse = (name: string, from: number): number => Math.max(from, last.get(name) ?? from);
  const out: IStmt[] = [];
  let i = 0;
  while (i < ss.length) {
    const s = ss[i]!;
    if (s.kind !== "decl") {
      out.push(s);
      i++;
      continue;
    }
    let end = lastUse(s.name, i);
    for (let k = i + 1; k <= end && end < ss.length - 1; k++) {
      const d = ss[k]!;
      if (d.kind === "decl") end = Math.max(end, lastUse(d.name, k));
    }
    if (end >= ss.length - 1 || end === i) {
      out.push(s);
      i++;
      continue;
    }
    // Inside, the segment's first local reaches the end of its list: the recursion scopes the rest.
    out.push({ kind: "block", body: scopeList(ss.slice(i, end + 1)), span: s.span });
    i = end + 1;
  }
  return out;
}

export const scopeLocals: Pass = {
  name: "scope-locals",
  why: "each local in the smallest block holding its uses, so clang reuses stack slots across statements",
  run(ir) {
    return { ...ir, handler: { ...ir.handler, body: mapStmtLists(ir.handler.body, scopeList) } };
  },
};
