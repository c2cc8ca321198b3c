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
  private tmpCount = 0;
  /** Locals bound to a header by let-else / if-let: they alias the header pointer. */
  readonly headerSyms = new Map<number, string>();
  /** Locals bound to a map value (`get`): C pointers into the map. */
  readonly ptrSyms = new Set<number>();
  /** Structures lowered through runtime-kmod kfuncs (compiler/blocks/kmod); empty for pure BPF. */
  kmodStates: ReadonlySet<string> = new Set<string>();

  constructor(readonly prog: CheckedProgram) {}

  get nf(): string {
    return this.prog.name;
  }

  get file(): string {
    return this.prog.file;
  }

  /** C type of a language type; registers the struct definitions it needs. */
  cty(t: Ty): CType {
    registerTy(this, t);
    return cTypeOf(t, this.nf);
  }

  /** A fresh temporary name (`tmp_3`). Deterministic: numbered in lowering order. */
  tmp(prefix = "tmp"): string {
    return `${prefix}_${this.tmpCount++}`;
  }

  /** The C name of a local: `<name>_<id>` (ids are unique in the program). */
  localName(sym: LocalSym): string {
    return `${sym.name}_${sym.id}`;
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
      return (e.fn === "bpf_ntohs" || e.fn === "bpf_ntohl" || e.fn === "bpf_htons" || e.fn === "bpf_htonl") && e.args.every(isSimple);
    default:
      return false;
  }
}

/** A pointer to `e`'s storage: `&e` for lvalues, else `&tmp` of a temporary copy. */
export function addressable(cx: Lowerer, e: IExpr, out: IStmt[]): IExpr {
  // A config is a `const volatile` global: its address would drop the qualifier (-Werror), so
  // helpers get a copy (as blocks/common.ts does for keys).
  if (e.kind === "var" && e.name.startsWith("cfg_")) return addr(cx.temp(e, out), e.span);
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
