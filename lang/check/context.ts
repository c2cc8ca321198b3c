// Shared state of one check run: the diagnostics sink, the global symbol table (filled by
// declarations.ts), local scopes with header narrowing, and small helpers every pass uses.
import type { ConfigDecl, ConstDecl, LocalSym, StateDecl } from "../checked.js";
import type { Decl, Ident, Program } from "../ast.js";
import type { BlockDef } from "../blocks/index.js";
import { diag } from "../diagnostics/catalogue.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { HeaderDef } from "../headers.js";
import type { Span } from "../span.js";
import type { Ty } from "../types.js";

/** A top-level name and what it denotes. */
export type GlobalSym =
  | { kind: "const"; name: string; span: Span; decl: Decl & { kind: "const" }; value?: ConstDecl }
  | { kind: "config"; name: string; span: Span; decl: Decl & { kind: "config" }; value?: ConfigDecl }
  | { kind: "type"; name: string; span: Span; decl: Decl & { kind: "type" }; ty?: Ty & { kind: "struct" } }
  | { kind: "header"; name: string; span: Span; decl: Decl & { kind: "header" }; def?: HeaderDef }
  | {
      kind: "state";
      name: string;
      span: Span;
      decl: Decl & { kind: "state" };
      state?: StateDecl;
      block?: BlockDef;
    }
  | { kind: "counter"; name: string; span: Span };

/** What each global kind is called in messages ("`x` is a table, not a value"). */
export function describeGlobal(g: GlobalSym): string {
  switch (g.kind) {
    case "const":
      return "a constant";
    case "config":
      return "a config";
    case "type":
      return "a type";
    case "header":
      return "a header";
    case "state":
      return `a ${g.decl.family}`;
    case "counter":
      return "a counter";
  }
}

export class Ctx {
  readonly diags: Diagnostic[] = [];
  readonly globals = new Map<string, GlobalSym>();
  /** Headers referenced by the handler (before adding prerequisites). */
  readonly usedHeaders = new Set<string>();
  /** Headers read only through `flow5()` (ipv4 and its L4): no IPv6 path needed. */
  readonly flowHeaders = new Set<string>();
  /** User header name -> the header it is parsed after (from `parse` extensions). */
  readonly parsedAfter = new Map<string, string[]>();
  private nextLocal = 1;

  constructor(readonly program: Program) {}

  report(d: Diagnostic): void {
    // An operand typed twice (`==` retries an integer pair) must not report its error twice.
    const same = (x: Diagnostic): boolean =>
      x.code === d.code &&
      x.message === d.message &&
      x.span?.start === d.span?.start &&
      x.span?.end === d.span?.end;
    if (!this.diags.some(same)) this.diags.push(d);
  }

  newLocal(name: Ident, ty: Ty, mutable: boolean, binds?: LocalSym["binds"]): LocalSym {
    const sym: LocalSym = { id: this.nextLocal++, name: name.name, ty, mutable, span: name.span };
    if (binds) sym.binds = binds;
    return sym;
  }
}

/**
 * A lexical scope of the handler: locals plus the set of headers proven present. Child scopes copy
 * the parent's present set, so narrowing made inside a block ends with the block.
 */
export class Scope {
  /** A name maps to its symbol, or to "poison" after its declaration failed (no cascades). */
  private readonly locals = new Map<string, LocalSym | "poison">();
  readonly present: Set<string>;

  constructor(
    readonly parent: Scope | undefined,
    readonly loopDepth: number,
    /** Product of the iteration counts of the enclosing loops. */
    readonly loopProduct: bigint,
  ) {
    this.present = new Set(parent?.present ?? []);
  }

  child(): Scope {
    return new Scope(this, this.loopDepth, this.loopProduct);
  }

  loop(iterations: bigint): Scope {
    return new Scope(this, this.loopDepth + 1, this.loopProduct * iterations);
  }

  define(sym: LocalSym): void {
    this.locals.set(sym.name, sym);
  }

  /** Marks a local whose declaration had an error: later uses report nothing more. */
  poison(name: string): void {
    this.locals.set(name, "poison");
  }

  lookup(name: string): LocalSym | "poison" | undefined {
    return this.locals.get(name) ?? this.parent?.lookup(name);
  }

  /** Every local name visible here (for "did you mean"). */
  names(): string[] {
    return [...this.locals.keys(), ...(this.parent?.names() ?? [])];
  }
}

/** Closest candidate by edit distance, if close enough to be a plausible typo. */
/** NF2002 at `span`, with the first declaration as a secondary label. */
export function duplicateName(ctx: Ctx, name: string, span: Span, first: Span): void {
  ctx.report(
    diag("NF2002", span, { name }, { secondary: [{ span: first, message: "first declared here" }] }),
  );
}

export function closest(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = editDistance(name, c);
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  const limit = Math.max(1, Math.floor(name.length / 3));
  return best !== undefined && bestD <= limit && bestD > 0 ? best : undefined;
}

function editDistance(a: string, b: string): number {
  const dp = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = dp[0]!;
    dp[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = dp[j]!;
      dp[j] = Math.min(dp[j]! + 1, dp[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return dp[b.length]!;
}

/** The conventional alias in help texts: `let ip = ipv4 else { pass }`. */
export function aliasFor(header: string): string {
  const known: Record<string, string> = {
    ipv4: "ip",
    ipv6: "ip6",
    tcp: "t",
    udp: "u",
    eth: "e",
    vlan: "v",
    vlan_inner: "vi",
    icmp: "ic",
    icmpv6: "ic6",
  };
  return known[header] ?? header.slice(0, 1);
}

/** Backticked, comma-separated list ("`a`, `b` and `c`"). */
export function listNames(names: readonly string[], conj = "and"): string {
  const q = names.map((n) => `\`${n}\``);
  return q.length <= 1 ? (q[0] ?? "") : `${q.slice(0, -1).join(", ")} ${conj} ${q[q.length - 1]}`;
}
