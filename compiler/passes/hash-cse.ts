// Hash reuse: `__u64 hash_b = nf_hash64(&k, n, seed)` where an identical call on the same local
// `k` is already available (earlier in the same or an enclosing block, `k` not written since)
// reuses that hash. `s.add(f, 1)` followed by `s.estimate(f)` would otherwise hash the key twice.
import type { IExpr, IStmt } from "../ir/ir.js";
import { isPure } from "../ir/pure.js";
import { mapExpr, mapStmtExprs, visit } from "../ir/walk.js";
import { foldExpr } from "./const-fold.js";
import type { Pass } from "./pass.js";

interface Avail {
  key: string; // what was hashed: the local, or the value it copies, with length and seed
  deps: Set<string>; // locals whose writes end the hash's validity
  name: string; // the variable holding the hash
}

/** `nf_hash64(&local, ...)` with pure arguments: what it hashes, and what it depends on. Key
 *  temporaries that are copies of a pure value (`__u32 key_2 = k_1;`, never written) are seen
 *  through, so two copies of one value share a hash. */
function hashOf(e: IExpr | undefined, copies: Map<string, IExpr>): Omit<Avail, "name"> | undefined {
  if (e?.kind !== "call" || e.fn !== "nf_hash64" || !e.args.every(isPure)) return undefined;
  const a = e.args[0];
  if (a?.kind !== "addr" || a.of.kind !== "var") return undefined;
  const local = a.of.name;
  const source = copies.get(local) ?? a.of;
  const deps = new Set([local]);
  mapExpr(source, (x) => {
    if (x.kind === "var") deps.add(x.name);
    return x;
  });
  return { key: JSON.stringify([exprKey(source), exprKey(e.args[1]!), exprKey(e.args[2]!)]), deps };
}

function exprKey(e: IExpr): string {
  return JSON.stringify(e, (k, v) => (k === "span" ? undefined : typeof v === "bigint" ? `${v}n` : v));
}

/** Scalar locals initialised with a pure value and never written: name -> value. */
function scalarCopies(ss: IStmt[]): Map<string, IExpr> {
  const w = written(ss);
  const out = new Map<string, IExpr>();
  visit(ss, (s) => {
    if (s.kind === "decl" && s.init && !s.zero && s.ty.kind !== "struct" && isPure(s.init) && !w.has(s.name))
      out.set(s.name, s.init);
  });
  return out;
}

/** Locals a statement list may write: assignment roots, and locals whose address goes to a call
 *  other than nf_hash64 or a map helper (which only read their key and value). */
function written(ss: IStmt[]): Set<string> {
  const out = new Set<string>();
  const root = (e: IExpr): string | undefined =>
    e.kind === "var"
      ? e.name
      : e.kind === "member"
        ? root(e.base)
        : e.kind === "index"
          ? root(e.base)
          : undefined;
  visit(
    ss,
    (s) => {
      if (s.kind === "assign") {
        const r = root(s.target);
        if (r) out.add(r);
      }
    },
    (e) => {
      if (e.kind === "call" && e.fn !== "nf_hash64" && !e.fn.startsWith("bpf_map_"))
        for (const a of e.args) if (a.kind === "addr" && a.of.kind === "var") out.add(a.of.name);
    },
  );
  return out;
}

function reuse(
  list: IStmt[],
  inherited: Avail[],
  copies: Map<string, IExpr>,
  renames: Map<string, string>,
): IStmt[] {
  let avail = [...inherited];
  const hits = (names: Set<string>, a: Avail) => [...a.deps].some((d) => names.has(d));
  const kill = (names: Set<string>) => (avail = avail.filter((a) => !hits(names, a)));
  const out: IStmt[] = [];
  for (const s of list) {
    const h = s.kind === "decl" ? hashOf(s.init, copies) : undefined;
    if (s.kind === "decl" && h) {
      const hit = avail.find((a) => a.key === h.key);
      if (hit) {
        renames.set(s.name, hit.name);
        continue;
      }
      out.push(s);
      avail.push({ ...h, name: s.name });
      continue;
    }
    if (s.kind === "if") {
      out.push({
        ...s,
        then: reuse(s.then, avail, copies, renames),
        else: reuse(s.else, avail, copies, renames),
      });
      kill(written([...s.then, ...s.else]));
    } else if (s.kind === "loop") {
      // Inside the body, the previous iteration may have written what the hash read.
      const w = new Set([...written(s.body), s.var]);
      out.push({
        ...s,
        body: reuse(
          s.body,
          avail.filter((a) => !hits(w, a)),
          copies,
          renames,
        ),
      });
      kill(w);
    } else if (s.kind === "block") {
      out.push({ ...s, body: reuse(s.body, avail, copies, renames) });
      kill(written(s.body));
    } else {
      out.push(s);
      kill(written([s]));
    }
  }
  return out;
}

export const hashCse: Pass = {
  name: "hash-cse",
  why: "hash a key once when several operations use the same unchanged local (add + estimate)",
  run(ir) {
    const renames = new Map<string, string>();
    const body = reuse(ir.handler.body, [], scalarCopies(ir.handler.body), renames);
    if (renames.size === 0) return ir;
    const renamed = mapStmtExprs(body, (e) =>
      mapExpr(e, (x) => (x.kind === "var" && renames.has(x.name) ? { ...x, name: renames.get(x.name)! } : x)),
    );
    // Two hashes that became one temporary can leave `t > t ? t : t` (max(hash(y), hash(y))):
    // fold again, or clang rejects the self-comparison (-Wtautological-compare).
    return { ...ir, handler: { ...ir.handler, body: mapStmtExprs(renamed, foldExpr) } };
  },
};
