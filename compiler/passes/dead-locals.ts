// Dead locals: a local that is never read is removed; its initialiser and the values assigned to
// it are kept as plain evaluations when they have effects (a map operation). Users may bind values
// they never use; clang's -Wunused-variable / -Wunused-but-set-variable would otherwise turn that
// into a compile error of the generated C, and hand-written C would not carry such locals.
import type { IExpr, IStmt } from "../ir/ir.js";
import { isPure } from "../ir/pure.js";
import { mapExpr, mapStmtLists, ownExprs, visit } from "../ir/walk.js";
import type { Pass } from "./pass.js";

/** Names of locals read anywhere: every `var` except the target of an assignment (and its own
 *  reads inside the assigned value). */
function readNames(ss: IStmt[], out = new Set<string>()): Set<string> {
  const note = (e: IExpr, self?: string) =>
    mapExpr(e, (x) => {
      if (x.kind === "var" && x.name !== self) out.add(x.name);
      return x;
    });
  for (const s of ss) {
    if (s.kind === "assign") {
      // `x = v` and `x = x + v` write x; reading x only to write it back is not a use.
      if (s.target.kind !== "var") note(s.target);
      note(s.value, s.target.kind === "var" ? s.target.name : undefined);
    } else {
      for (const e of ownExprs(s)) note(e);
    }
    if (s.kind === "if") {
      readNames(s.then, out);
      readNames(s.else, out);
    } else if (s.kind === "loop" || s.kind === "block") readNames(s.body, out);
  }
  return out;
}

function declared(ss: IStmt[], out = new Set<string>()): Set<string> {
  for (const s of ss) {
    if (s.kind === "decl") out.add(s.name);
    if (s.kind === "if") {
      declared(s.then, out);
      declared(s.else, out);
    } else if (s.kind === "loop" || s.kind === "block") declared(s.body, out);
  }
  return out;
}

/** Dead locals whose writes have effects and read another dead local. */
function writesNeedingLocals(ss: IStmt[], dead: Set<string>): string[] {
  const out: string[] = [];
  visit(ss, (s) => {
    const [name, value] =
      s.kind === "decl"
        ? [s.name, s.init]
        : s.kind === "assign" && s.target.kind === "var"
          ? [s.target.name, s.value]
          : [];
    if (!name || !value || !dead.has(name) || isPure(value)) return;
    let mentions = false;
    mapExpr(value, (x) => {
      if (x.kind === "var" && dead.has(x.name)) mentions = true;
      return x;
    });
    if (mentions) out.push(name);
  });
  return out;
}

function drop(ss: IStmt[], dead: Set<string>): IStmt[] {
  return mapStmtLists(ss, (list) =>
    list.flatMap((s): IStmt[] => {
      const value =
        s.kind === "decl" && dead.has(s.name)
          ? s.init
          : s.kind === "assign" && s.target.kind === "var" && dead.has(s.target.name)
            ? s.value
            : undefined;
      const isDead =
        (s.kind === "decl" && dead.has(s.name)) ||
        (s.kind === "assign" && s.target.kind === "var" && dead.has(s.target.name));
      if (!isDead) return [s];
      return value && !isPure(value) ? [{ kind: "eval", expr: value, span: s.span }] : [];
    }),
  );
}

export const deadLocals: Pass = {
  name: "dead-locals",
  why: "remove locals nobody reads, keeping effects; unused locals are -Werror errors in C",
  run(ir) {
    let body = ir.handler.body;
    // A local written with an effectful value that mentions an unread local (`x = x * est(k)`)
    // stays: the effect must run and its value cannot be computed without the local.
    const pinned = new Set<string>();
    for (;;) {
      const reads = readNames([...ir.handler.prologue, ...body]);
      const dead = new Set([...declared(body)].filter((n) => !reads.has(n) && !pinned.has(n)));
      if (dead.size === 0) break;
      const pin = writesNeedingLocals(body, dead);
      if (pin.length > 0) {
        pin.forEach((n) => pinned.add(n));
        continue;
      }
      body = drop(body, dead);
    }
    return { ...ir, handler: { ...ir.handler, body } };
  },
};
