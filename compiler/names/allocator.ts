// One name allocator for all generated C. Every identifier the C file defines goes through it:
//  - a user's name (table, counter, config, type, header, local, loop variable) is kept as written
//    when it is safe (reserved.ts); an unsafe one is escaped to `u_<name>`;
//  - nfc's own names are `nf_<what>`: a prefix no user name keeps, so the two never meet;
//  - a deterministic suffix `_1`, `_2`, ... is added only when the name is already taken.
// Ordinary identifiers (variables, functions, maps) and struct tags are separate C namespaces and
// get separate taken-sets. Struct members are per struct: `member()` is a pure, injective escape.
// Map symbols also keep their first 15 characters (the kernel's object name) unique: kernel.ts.
import { isReservedWord, isSafeUserName } from "./reserved.js";
import { kernelUnique } from "./kernel.js";

/** `u_<name>` for a name C cannot take as written; injective (see member()). */
export function escapeUser(name: string): string {
  return needsEscape(name) ? `u_${name}` : name;
}

// `u_x` is escaped too when `x` is: then `int` → `u_int` and a user's own `u_int` → `u_u_int`.
function needsEscape(name: string): boolean {
  return !isSafeUserName(name) || (name.startsWith("u_") && needsEscape(name.slice(2)));
}

/** The C member name of a user's struct or header field. Injective per struct, so no taken-set:
 *  nfc's own members in a user struct are `__pad<N>`, a prefix every user name escapes. */
export function member(name: string): string {
  return escapeUser(name);
}

/** The counter block's member for counter `name`: member() of a user's counter; nfc's hidden event
 *  counters (a `.` in the name, lang/events.ts: `blocked.sent`, `every.0`) become `__ev_<a>__<b>`,
 *  a prefix every user name escapes. */
export function counterMember(name: string): string {
  return name.includes(".") ? `__ev_${name.replace(".", "__")}` : member(name);
}

/** The generated C's `struct nf_hdrs` (nf_parse's result); the first name every allocator gives. */
export const PKT = "nf_h";

export class NameAllocator {
  private readonly taken = new Set<string>();
  private readonly tags = new Set<string>();
  private readonly memo = new Map<string, string>();
  private readonly kernelNames = new Set<string>();

  constructor() {
    if (this.gen("h") !== PKT) throw new Error(`${PKT} is taken by the headers`);
  }

  /** A user's ordinary identifier; `key` (e.g. `local:12`, `map:flows`) returns the same name again. */
  user(key: string, name: string): string {
    return this.once(`o:${key}`, () => this.claim(this.taken, escapeUser(name)));
  }

  /** One of nfc's own ordinary identifiers: `nf_<what>`, suffixed if taken. */
  gen(what: string, key?: string): string {
    const make = () => this.claim(this.taken, `nf_${what}`);
    return key === undefined ? make() : this.once(`o:${key}`, make);
  }

  /** A struct tag for a user's type or header (as written when safe). */
  userTag(key: string, name: string): string {
    return this.once(`t:${key}`, () => this.claim(this.tags, escapeUser(name)));
  }

  /** A struct tag nfc defines for a structure's storage (`nf_<what>`). */
  genTag(key: string, what: string): string {
    return this.once(`t:${key}`, () => this.claim(this.tags, `nf_${what}`));
  }

  /** The C symbol of a map: like user()/gen(), and unique in its first 15 characters too. */
  map(
    key: string,
    wanted: { user: string } | { gen: string },
    reserveKernel: readonly string[] = [],
  ): string {
    return this.once(`o:${key}`, () => {
      const base = "user" in wanted ? escapeUser(wanted.user) : `nf_${wanted.gen}`;
      const sym = kernelUnique(
        base,
        (s) => this.taken.has(s) || isReservedWord(s),
        this.kernelNames,
        reserveKernel,
      );
      this.taken.add(sym);
      this.kernelNames.add(sym.slice(0, 15));
      return sym;
    });
  }

  /** The name `key` was given, if any. */
  lookup(key: string): string | undefined {
    return this.memo.get(`o:${key}`);
  }

  private once(key: string, make: () => string): string {
    let n = this.memo.get(key);
    if (n === undefined) {
      n = make();
      this.memo.set(key, n);
    }
    return n;
  }

  private claim(set: Set<string>, base: string): string {
    let name = base;
    for (let i = 1; set.has(name) || isReservedWord(name); i++) name = `${base}_${i}`;
    set.add(name);
    return name;
  }
}
