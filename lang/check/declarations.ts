// Pass 1: collect every top-level declaration into the global table (duplicates, built-in names,
// handler count), then resolve them all: types, consts, configs, user headers, parse extensions,
// state (via the registry) and counters. Later passes only look names up.
import type { Decl } from "../ast.js";
import type { ConfigDecl, ConstDecl, CounterDecl, ParseExt, StateDecl } from "../checked.js";
import { diag } from "../diagnostics/catalogue.js";
import { builtinHeader, type HeaderDef } from "../headers.js";
import type { Ty } from "../types.js";
import { duplicateName, type Ctx, type GlobalSym } from "./context.js";
import { resolveConfig, resolveConst } from "./decl-consts.js";
import { checkParseExt, layoutHeader } from "./decl-headers.js";
import { BUILTIN_TYPES, layoutType, refuseDeepTypes } from "./resolve-types.js";
import { checkState } from "./states.js";

export interface Declarations {
  consts: ConstDecl[];
  configs: ConfigDecl[];
  types: (Ty & { kind: "struct" })[];
  headers: HeaderDef[];
  parseExts: ParseExt[];
  states: StateDecl[];
  counters: CounterDecl[];
  handler?: Decl & { kind: "handler" };
}

export function checkDeclarations(ctx: Ctx): Declarations {
  const out: Declarations = {
    consts: [],
    configs: [],
    types: [],
    headers: [],
    parseExts: [],
    states: [],
    counters: [],
  };
  collect(ctx, out);
  refuseDeepTypes(ctx);
  for (const g of ctx.globals.values()) {
    switch (g.kind) {
      case "type": {
        const t = layoutType(ctx, g);
        if (t) out.types.push(t);
        break;
      }
      case "const": {
        const c = resolveConst(ctx, g);
        if (c) out.consts.push(c);
        break;
      }
      case "config": {
        const c = resolveConfig(ctx, g);
        if (c) out.configs.push(c);
        break;
      }
      case "header": {
        const h = layoutHeader(ctx, g);
        if (h) out.headers.push(h);
        break;
      }
      case "state": {
        const s = checkState(ctx, g);
        if (s) out.states.push(s);
        break;
      }
      case "counter":
        out.counters.push({ name: g.name, index: out.counters.length, span: g.span });
        break;
    }
  }
  for (const d of ctx.program.decls) {
    if (d.kind !== "parse") continue;
    const p = checkParseExt(ctx, d);
    if (p) out.parseExts.push(p);
  }
  return out;
}

function collect(ctx: Ctx, out: Declarations): void {
  const add = (g: GlobalSym): void => {
    const builtin = BUILTIN_TYPES[g.name] ? "type" : builtinHeader(g.name) ? "header" : undefined;
    if (builtin) {
      ctx.report(diag("NF2028", g.span, { name: g.name, what: builtin }));
      return;
    }
    const first = ctx.globals.get(g.name);
    if (first) {
      duplicateName(ctx, g.name, g.span, first.span);
      return;
    }
    ctx.globals.set(g.name, g);
  };
  for (const d of ctx.program.decls) {
    switch (d.kind) {
      case "const":
      case "config":
      case "type":
      case "header":
      case "state":
        add({ kind: d.kind, name: d.name.name, span: d.name.span, decl: d } as GlobalSym);
        break;
      case "counter":
        for (const n of d.names) add({ kind: "counter", name: n.name, span: n.span });
        break;
      case "parse":
      case "event": // own namespace: lang/check/events.ts
        break;
      case "handler":
        // The parser rejects events other than `packet` (NF1019).
        if (d.event.name !== "packet") throw new Error(`handler for event \`${d.event.name}\``);
        if (out.handler) {
          ctx.report(
            diag(
              "NF3013",
              d.event.span,
              {},
              { secondary: [{ span: out.handler.event.span, message: "first handler here" }] },
            ),
          );
        } else {
          out.handler = d;
        }
        break;
      default:
        assertNeverDecl(d);
    }
  }
  if (!out.handler && !ctx.program.decls.some((d) => d.kind === "handler")) {
    ctx.report(diag("NF3012", ctx.program.name.span, {}));
  }
}

function assertNeverDecl(d: never): never {
  throw new Error(`unexpected declaration kind: ${JSON.stringify(d)}`);
}
