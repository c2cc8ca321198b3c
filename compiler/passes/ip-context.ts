// Under which IP version is each header read? A read where the code has already tested `ipv4`
// present (`if (h.ipv4) { … }`, or after `if (!h.ipv4) { …; return }`) can only ever see a packet
// with IPv4, so nf_parse need not find that header below IPv6 (and the other way round). The
// analysis is a forward walk over the handler carrying the set of headers proven present:
//   - `if (c)`: the then-branch knows what `c` proves, the else-branch what `!c` proves; the
//     statements after the `if` know what `!c` proves when the then-branch never falls through
//     (ends in return or break), and what `c` proves when the else-branch never falls through;
//   - `a && b`: `b` is read knowing what `a` proves; `a || b`: knowing what `!a` proves;
//     `c ? x : y` likewise.
// A fact is `nf_h.X` / `nf_hdr_X` (present) or its negation; anything else proves nothing.
import { PKT } from "../names/allocator.js";
import { assertNever } from "../../lang/types.js";
import type { IExpr, IStmt } from "../ir/ir.js";

/** The IP versions a read may happen under. */
export type IpSet = ReadonlySet<"v4" | "v6">;

const BOTH: IpSet = new Set(["v4", "v6"]);
const V4: IpSet = new Set(["v4"]);
const V6: IpSet = new Set(["v6"]);

/** Every header (or `h.l4proto` / `h.l3_end` …, by variable name) read, with the IP versions it
 *  may be read under. */
export type Reads = Map<string, Set<"v4" | "v6">>;

function ipOf(known: ReadonlySet<string>): IpSet {
  if (known.has("ipv4")) return V4;
  if (known.has("ipv6")) return V6;
  return BOTH;
}

/** Headers `e` proves present when it is true (`when` = true) or false (`when` = false). */
function proves(e: IExpr, when: boolean): string[] {
  if (e.kind === "hdr") return when ? [e.header] : [];
  if (e.kind === "unary" && e.op === "!") return proves(e.operand, !when);
  if (e.kind === "binary" && e.op === "&&" && when)
    return [...proves(e.left, true), ...proves(e.right, true)];
  if (e.kind === "binary" && e.op === "||" && !when)
    return [...proves(e.left, false), ...proves(e.right, false)];
  return [];
}

const plus = (known: ReadonlySet<string>, more: string[]): ReadonlySet<string> =>
  more.length === 0 ? known : new Set([...known, ...more]);

function note(reads: Reads, name: string, ip: IpSet): void {
  const s = reads.get(name) ?? new Set();
  for (const v of ip) s.add(v);
  reads.set(name, s);
}

/** Records the reads of `e`, evaluated knowing `known`. */
export function exprReads(e: IExpr, known: ReadonlySet<string>, reads: Reads): void {
  const r = (x: IExpr, k: ReadonlySet<string> = known) => exprReads(x, k, reads);
  switch (e.kind) {
    case "int":
    case "bool":
    case "mapref":
      return;
    case "var":
      if (e.name.startsWith(`${PKT}.`)) note(reads, e.name, ipOf(known));
      return;
    case "hdr":
      note(reads, e.header, ipOf(known));
      return;
    case "pkt":
      note(reads, e.header, ipOf(known));
      return r(e.ptr);
    case "member":
      return r(e.base);
    case "index":
      r(e.base);
      return r(e.index);
    case "deref":
      return r(e.ptr);
    case "addr":
      return r(e.of);
    case "binary":
      r(e.left);
      if (e.op === "&&") return r(e.right, plus(known, proves(e.left, true)));
      if (e.op === "||") return r(e.right, plus(known, proves(e.left, false)));
      return r(e.right);
    case "unary":
      return r(e.operand);
    case "cast":
      return r(e.expr);
    case "cond":
      r(e.cond);
      r(e.then, plus(known, proves(e.cond, true)));
      return r(e.else, plus(known, proves(e.cond, false)));
    case "call":
      for (const a of e.args) r(a);
      return;
    default:
      return assertNever(e);
  }
}

/** Does control never reach the statement after `ss` (every path returns or breaks)? */
function noFallThrough(ss: readonly IStmt[]): boolean {
  return ss.some((s) => {
    switch (s.kind) {
      case "return":
      case "break":
        return true;
      case "if":
        return noFallThrough(s.then) && noFallThrough(s.else);
      case "block":
        return noFallThrough(s.body);
      default:
        return false;
    }
  });
}

/** Records the reads of a statement list entered knowing `known`. */
export function stmtReads(ss: readonly IStmt[], known: ReadonlySet<string>, reads: Reads): void {
  let k = known;
  for (const s of ss) {
    switch (s.kind) {
      case "decl":
        if (s.init) exprReads(s.init, k, reads);
        break;
      case "assign":
        exprReads(s.target, k, reads);
        exprReads(s.value, k, reads);
        break;
      case "if": {
        exprReads(s.cond, k, reads);
        const yes = proves(s.cond, true);
        const no = proves(s.cond, false);
        stmtReads(s.then, plus(k, yes), reads);
        stmtReads(s.else, plus(k, no), reads);
        if (noFallThrough(s.then)) k = plus(k, no);
        if (noFallThrough(s.else)) k = plus(k, yes);
        break;
      }
      case "loop":
      case "block":
        stmtReads(s.body, k, reads);
        break;
      case "break":
        break;
      case "eval":
        exprReads(s.expr, k, reads);
        break;
      case "return":
        exprReads(s.value, k, reads);
        break;
      case "csum":
        exprReads(s.sum, k, reads);
        for (const a of s.args) exprReads(a, k, reads);
        break;
      case "counter":
        exprReads(s.value, k, reads);
        break;
      default:
        assertNever(s);
    }
  }
}

/** The `known` set that means "read under these IP versions" (for parse extensions, which run
 *  before the handler but matter only where their header is read). */
export function knownFor(ip: IpSet): ReadonlySet<string> {
  return ip.has("v4") && ip.has("v6")
    ? new Set()
    : ip.has("v4")
      ? new Set(["ipv4"])
      : ip.has("v6")
        ? new Set(["ipv6"])
        : new Set(["ipv4", "ipv6"]);
}
