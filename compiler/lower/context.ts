// The lowering context: what every lowering family shares while turning one CheckedProgram into
// IR — the program, the C name of each local, fresh temporaries, emitted structs and maps, and the
// diagnostics. Lowering never fails on a checked program; an impossible state is a BUG (NF9999).
import type { CheckedProgram, LocalSym } from "../../lang/checked.js";
import { diag } from "../../lang/diagnostics/catalogue.js";
import type { Diagnostic } from "../../lang/diagnostics/diagnostic.js";
import type { Span } from "../../lang/span.js";
import type { Ty } from "../../lang/types.js";
import { addr, decl, v } from "../ir/build.js";
import { cTypeOf, type CType } from "../ir/ctype.js";
import type { IExpr, IrMap, IrStruct, IStmt } from "../ir/ir.js";
import { escapeUser, NameAllocator } from "../names/allocator.js";
import { kernelName } from "../names/kernel.js";
import { registerTy } from "./types.js";

/** An internal compiler error: caught by the API and reported as NF9999. */
export class CompilerBug extends Error {
  constructor(
    what: string,
    readonly span?: Span,
  ) {
    super(what);
  }
}

export function bug(what: string, span?: Span): never {
  throw new CompilerBug(what, span);
}

export class Lowerer {
  readonly diagnostics: Diagnostic[] = [];
  readonly structs = new Map<string, IrStruct>();
  readonly maps: IrMap[] = [];
  /** Every identifier the C file defines comes from here (compiler/names). */
  readonly names = new NameAllocator();
  /** C symbols of the load-time configs (globals: never used in place as a map key). */
  readonly configSymbols = new Set<string>();
  /** Locals bound to a header by let-else / if-let: they alias the header pointer. */
  readonly headerSyms = new Map<number, string>();
  /** Locals bound to a map value (`get`): C pointers into the map. */
  readonly ptrSyms = new Set<number>();
  /** Structures lowered through runtime-kmod kfuncs (compiler/blocks/kmod); empty for pure BPF. */
  kmodStates: ReadonlySet<string> = new Set<string>();
  /** A payload write or resize changed the packet: the handler parses again there (NF_REPARSE). */
  reparse = false;

  constructor(readonly prog: CheckedProgram) {
    // Globals first, in declaration order, so a user's global keeps its name over any local.
    this.names.user("fn", `${prog.name}_prog`);
    for (const c of prog.configs) this.configSymbols.add(this.configSym(c.name));
    for (const s of prog.states) this.mapSym(s.name);
  }

  get nf(): string {
    return this.prog.name;
  }

  get file(): string {
    return this.prog.file;
  }

  /** C type of a language type; registers the struct definitions it needs. */
  cty(t: Ty): CType {
    registerTy(this, t);
    return cTypeOf(t, (n) => this.typeTag(n));
  }

  /** The struct tag of a user `type` (`struct stats`, escaped if unsafe). */
  typeTag(name: string): string {
    return this.names.userTag(`type:${name}`, name);
  }

  /** A struct tag nfc defines for structure `state`'s storage: `nf_<state>_<what>`. */
  stateTag(state: string, what: string): string {
    return this.names.genTag(`state:${state}:${what}`, `${state}_${what}`);
  }

  /** The C symbol of a config (its own name where safe). */
  configSym(name: string): string {
    return this.names.user(`config:${name}`, name);
  }

  /** The C symbol of a map nfc adds (`nf_<what>`), by allocator key. */
  genMapSym(key: string, what: string): string {
    return this.names.map(`genmap:${key}`, { gen: what });
  }

  /** The C symbol of structure `state`'s map: unique in its first 15 characters too
   *  (compiler/names/kernel.ts). */
  mapSym(state: string): string {
    const others = this.prog.states
      .filter((s) => s.name !== state)
      .map((s) => kernelName(escapeUser(s.name)));
    return this.names.map(`map:${state}`, { user: state }, others);
  }

  /** A fresh name for one of nfc's temporaries: `nf_<prefix>`, suffixed when taken. */
  tmp(prefix = "tmp"): string {
    return this.names.gen(prefix);
  }

  /** The C name of a local: its own name where safe, suffixed when another local has it. */
  localName(sym: LocalSym): string {
    return this.names.user(`local:${sym.id}`, sym.name);
  }

  /** Declares a temporary holding `e` and returns a reference to it. */
  temp(e: IExpr, out: IStmt[], prefix = "tmp"): IExpr {
    const name = this.tmp(prefix);
    out.push(decl(name, e.ty, e.span, e));
    return v(name, e.ty, e.span);
  }

  /** `e` if it is cheap and side-effect free (may be evaluated twice), else a temporary. */
  hoist(e: IExpr, out: IStmt[]): IExpr {
    return isSimple(e) ? e : this.temp(e, out);
  }

  error(d: Diagnostic): void {
    this.diagnostics.push(d);
  }

  internal(what: string, span?: Span): void {
    this.diagnostics.push(diag("NF9999", span, { what }));
  }
}

/** Cheap, side-effect-free expressions that may be duplicated. */
export function isSimple(e: IExpr): boolean {
  switch (e.kind) {
    case "int":
    case "bool":
    case "var":
    case "hdr":
    case "mapref":
      return true;
    case "pkt":
      return isSimple(e.ptr);
    case "member":
      return isSimple(e.base);
    case "deref":
      return isSimple(e.ptr);
    case "addr":
      return isSimple(e.of);
    case "cast":
      return isSimple(e.expr);
    case "call":
      return (
        (e.fn === "bpf_ntohs" || e.fn === "bpf_ntohl" || e.fn === "bpf_htons" || e.fn === "bpf_htonl") &&
        e.args.every(isSimple)
      );
    default:
      return false;
  }
}

/** A pointer to `e`'s storage: `&e` for lvalues, else `&tmp` of a temporary copy. */
export function addressable(cx: Lowerer, e: IExpr, out: IStmt[]): IExpr {
  // A config is a `const volatile` global: its address would drop the qualifier (-Werror), so
  // helpers get a copy (as blocks/common.ts does for keys).
  if (e.kind === "var" && cx.configSymbols.has(e.name)) return addr(cx.temp(e, out), e.span);
  switch (e.kind) {
    case "var":
    case "member":
    case "deref":
    case "index":
    case "pkt":
      return addr(e, e.span);
    default:
      return addr(cx.temp(e, out), e.span);
  }
}
