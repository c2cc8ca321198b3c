// Lowering entry point: CheckedProgram → IrProgram. Declarations first (structs, configs, maps,
// counters), then the handler. Each family lives in its own file; this one only sequences them.
import type { CheckedProgram } from "../../lang/checked.js";
import type { Diagnostic } from "../../lang/diagnostics/diagnostic.js";
import { sizeOf, tyName } from "../../lang/types.js";
import { declareStates } from "../blocks/index.js";
import { v } from "../ir/build.js";
import type { CType } from "../ir/ctype.js";
import type { IrConfig, IrProgram } from "../ir/ir.js";
import { Lowerer } from "./context.js";
import { declareCounters } from "./counters.js";
import { declareEvents } from "./events.js";
import { lowerParseExts, userHeaderFields, userHeaderStruct, userHeaderVar } from "./headers.js";
import { lowerBlock } from "./statements.js";
import { initializer } from "./values.js";
import { verdictExpr } from "./verdicts.js";

export interface LowerOptions {
  runtime: "bpf";
  /** Structures to lower with the kmod lowerings (compiler/backend decides; default none). */
  kmod?: ReadonlySet<string>;
}

export function lowerProgram(
  prog: CheckedProgram,
  opts: LowerOptions = { runtime: "bpf" },
): { ir?: IrProgram; diagnostics: Diagnostic[] } {
  const cx = new Lowerer(prog);
  if (opts.kmod) cx.kmodStates = opts.kmod;
  for (const t of prog.types) cx.cty(t);
  for (const h of prog.headers.filter((x) => !x.builtin)) {
    const name = userHeaderStruct(cx, h.name);
    cx.structs.set(name, {
      name,
      fields: userHeaderFields(cx, h),
      packed: true,
      size: h.size,
      span: prog.span,
    });
  }
  const configs: IrConfig[] = prog.configs.map((c) => {
    const ty: CType = cx.cty(c.ty);
    return {
      name: c.name,
      symbol: cx.configSym(c.name),
      ty,
      langType: tyName(c.ty),
      size: sizeOf(c.ty),
      init: v(initializer(c.default, c.ty), ty, c.span),
      default: manifestDefault(c.default),
      span: c.span,
    };
  });
  declareStates(cx);
  const events = declareEvents(cx);
  const counters = declareCounters(cx);
  const exports = prog.states.flatMap((s) =>
    s.exported ? [{ sketch: s.name, kind: s.kind, keys: s.exported }] : [],
  );
  const section = prog.hook === "xdp" ? "xdp" : "tc";
  const body = lowerBlock(cx, prog.handler);
  const ir: IrProgram = {
    nf: prog.name,
    ...(cx.kmodStates.size > 0 ? { includes: ['"nfc_runtime.h"'] } : {}),
    file: prog.file,
    hook: prog.hook,
    structs: [...cx.structs.values()],
    maps: cx.maps,
    configs,
    counters,
    ...(events.length > 0 ? { events } : {}),
    ...(exports.length > 0 ? { exports } : {}),
    handler: {
      name: cx.names.user("fn", `${prog.name}_prog`),
      section,
      ctxType: section === "xdp" ? "struct xdp_md" : "struct __sk_buff",
      parse: [...prog.usedHeaders],
      parseExts: lowerParseExts(cx),
      userHeaders: prog.headers.map((h) => ({
        header: h.name,
        cvar: userHeaderVar(cx, h.name),
        tag: userHeaderStruct(cx, h.name),
      })),
      fallback: verdictExpr(prog.hook, "pass", prog.span),
      prologue: [],
      body,
      ...(cx.reparse ? { reparse: true } : {}),
      span: prog.span,
    },
    names: cx.names,
  };
  return { ir, diagnostics: cx.diagnostics };
}

/** A config default as the manifest shows it: number (or decimal string beyond 2^53), bool, hex bytes. */
function manifestDefault(v: CheckedProgram["configs"][number]["default"]): string | number | boolean {
  switch (v.kind) {
    case "int":
      return v.v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v.v) : v.v.toString();
    case "bool":
      return v.v;
    case "bytes":
      return v.v.map((b) => b.toString(16).padStart(2, "0")).join("");
    case "struct":
      return JSON.stringify(Object.keys(v.fields).sort());
  }
}
