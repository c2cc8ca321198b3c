// Pass 5: stack estimate. Each local takes its size rounded up to an 8-byte slot (bindings of
// headers and table values are pointers: 8). Along one path the sizes add up; branches of an
// `if`/`match` are alternatives, so the estimate takes their maximum. Crossing the budget reports
// NF4006 at the local that crosses it.
import type { LocalSym, TStmt } from "../checked.js";
import { diag } from "../diagnostics/catalogue.js";
import { roundUp, sizeOf, assertNever } from "../types.js";
import type { Ctx } from "./context.js";

export const STACK_BUDGET = 256;

export function estimateStack(ctx: Ctx, body: TStmt[]): number {
  const state = { reported: false };
  return block(ctx, body, 0, state);
}

function slot(sym: LocalSym): number {
  if (sym.binds) return 8;
  return roundUp(Math.max(sizeOf(sym.ty), 1), 8);
}

function block(ctx: Ctx, stmts: TStmt[], base: number, st: { reported: boolean }): number {
  let used = base;
  let peak = base;
  const add = (sym: LocalSym): void => {
    used += slot(sym);
    peak = Math.max(peak, used);
    if (used > STACK_BUDGET && !st.reported) {
      st.reported = true;
      ctx.report(diag("NF4006", sym.span, { name: sym.name, bytes: used, max: STACK_BUDGET }));
    }
  };
  for (const s of stmts) {
    switch (s.kind) {
      case "let":
        add(s.sym);
        break;
      case "bind":
        peak = Math.max(peak, block(ctx, s.else, used, st));
        add(s.sym);
        break;
      case "if": {
        const inner = used + (s.cond.kind === "bind" ? slot(s.cond.sym) : 0);
        if (s.cond.kind === "bind" && inner > STACK_BUDGET && !st.reported) {
          st.reported = true;
          ctx.report(
            diag("NF4006", s.cond.sym.span, { name: s.cond.sym.name, bytes: inner, max: STACK_BUDGET }),
          );
        }
        peak = Math.max(peak, block(ctx, s.then, inner, st), block(ctx, s.else, used, st));
        break;
      }
      case "match":
        for (const arm of s.arms) peak = Math.max(peak, block(ctx, arm.body, used, st));
        break;
      case "for": {
        const inner = used + slot(s.sym);
        peak = Math.max(peak, block(ctx, s.body, inner, st));
        break;
      }
      case "repeat":
        peak = Math.max(peak, block(ctx, s.body, used, st));
        break;
      case "assign":
      case "expr":
      case "emit":
      case "verdict":
      case "redirect":
      case "break":
        break;
      default:
        assertNever(s);
    }
  }
  return peak;
}
