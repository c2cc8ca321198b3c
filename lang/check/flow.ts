// Pass 4: verdict paths. Every path through the handler must end in a verdict (NF3003 at the
// handler's closing brace), let-else blocks must not fall through (NF3004 at their closing brace),
// `break` only inside loops (NF3006), and statements after a verdict or `break` are unreachable
// (NF3005, a warning, once per block).
import type { TStmt } from "../checked.js";
import { diag } from "../diagnostics/catalogue.js";
import type { Span } from "../span.js";
import { assertNever } from "../types.js";
import type { Ctx } from "./context.js";
import { elseBlockSpans } from "./statements.js";

/** How control can leave a statement list. */
interface Exit {
  /** Control can reach the end of the list. */
  falls: boolean;
  /** Some path leaves the innermost loop with `break`. */
  breaks: boolean;
}

/** Checks the handler body; `closeBrace` is the span of its closing `}`. */
export function checkFlow(
  ctx: Ctx,
  body: TStmt[],
  closeBrace: (blockSpan: Span) => Span,
  handlerSpan: Span,
): void {
  const exit = walk(ctx, body, 0, closeBrace);
  if (exit.falls) ctx.report(diag("NF3003", closeBrace(handlerSpan), {}));
}

function walk(ctx: Ctx, stmts: TStmt[], loops: number, closeBrace: (s: Span) => Span): Exit {
  let falls = true;
  let breaks = false;
  for (const s of stmts) {
    if (!falls) {
      ctx.report(diag("NF3005", s.span, {}));
      break;
    }
    const e = stmt(ctx, s, loops, closeBrace);
    falls = e.falls;
    breaks ||= e.breaks;
  }
  return { falls, breaks };
}

function stmt(ctx: Ctx, s: TStmt, loops: number, closeBrace: (s: Span) => Span): Exit {
  const seq: Exit = { falls: true, breaks: false };
  switch (s.kind) {
    case "verdict":
    case "redirect":
      return { falls: false, breaks: false };
    case "break":
      if (loops === 0) {
        ctx.report(diag("NF3006", s.span, {}));
        return seq;
      }
      return { falls: false, breaks: true };
    case "bind": {
      const e = walk(ctx, s.else, loops, closeBrace);
      const span = elseBlockSpans.get(s);
      if (e.falls && span) ctx.report(diag("NF3004", closeBrace(span), {}));
      return { falls: true, breaks: e.breaks };
    }
    case "if": {
      const a = walk(ctx, s.then, loops, closeBrace);
      const b = walk(ctx, s.else, loops, closeBrace);
      return { falls: a.falls || b.falls, breaks: a.breaks || b.breaks };
    }
    case "match": {
      const exits = s.arms.map((arm) => walk(ctx, arm.body, loops, closeBrace));
      const total = s.arms.some((arm) => arm.patterns.some((p) => p.kind === "wildcard"));
      return { falls: !total || exits.some((e) => e.falls), breaks: exits.some((e) => e.breaks) };
    }
    case "for":
    case "repeat": {
      const n = s.kind === "for" ? s.hi - s.lo : s.count;
      const e = walk(ctx, s.body, loops + 1, closeBrace);
      // The loop falls through if it may run zero times, or its body can finish or break.
      return { falls: n <= 0n || e.falls || e.breaks, breaks: false };
    }
    case "let":
    case "assign":
    case "expr":
    case "emit":
      return seq;
    default:
      return assertNever(s);
  }
}
