// What is visible at a point of the handler: values (locals, bindings, consts, configs), the
// headers proven present (and their aliases), the loop nesting and the stack the locals use.
import type { Ty } from "../../../lang/types.js";
import type { Gen, Header } from "./ctx.js";

export interface Val {
  name: string;
  ty: Ty;
  /** `var`: may be assigned. */
  mutable: boolean;
  /** A table value bound by `get`: assignments write the stored value. */
  ref?: boolean;
  config?: boolean;
}

export interface Scope {
  vals: Val[];
  /** Present headers: source name -> the names usable for it (header name and aliases). */
  present: Map<string, string[]>;
  /** Loop nesting (0 = not in a loop) and the product of enclosing loop counts. */
  loops: number;
  iters: number;
  stack: number;
  depth: number;
  /** Set when a `break` leaves the innermost loop (then the loop does not end the handler). */
  brk?: { v: boolean };
}

export const STACK_CAP = 232; // under the checker's 256-byte budget, with room for the `for` variable

export function rootScope(g: Gen): Scope {
  return {
    vals: [...g.consts, ...g.configs].map((c) => ({
      name: c.name,
      ty: c.ty,
      mutable: false,
      config: c.role === "config",
    })),
    present: new Map(),
    loops: 0,
    iters: 1,
    stack: 0,
    depth: 0,
  };
}

export function child(sc: Scope, extra: Partial<Scope> = {}): Scope {
  return { ...sc, vals: [...sc.vals], present: new Map(sc.present), depth: sc.depth + 1, ...extra };
}

/** Headers present here with the name to use for each access (the header name or an alias). */
export function presentHeaders(g: Gen, sc: Scope): { h: Header; via: string }[] {
  const out: { h: Header; via: string }[] = [];
  for (const [name, vias] of sc.present) {
    const h = g.headers.find((x) => x.name === name);
    if (h) for (const via of vias) out.push({ h, via });
  }
  return out;
}
