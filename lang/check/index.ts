// The checker's front door: AST -> CheckedProgram + diagnostics. The pass list, in order:
//   1. declarations.ts  collect globals (duplicates, built-in names, the one handler); resolve
//                       types, consts (folded), configs, user headers, parse extensions, state
//                       (states.ts, via the lang/blocks registry) and counters
//   2. statements.ts    the handler: names, types (expressions.ts, calls.ts, lvalues.ts), header
//                       narrowing, loop bounds
//   3. flow.ts          every path ends in a verdict; let-else diverges; break in loops; unreachable
//   4. stack.ts         locals within the stack budget
//   5. used-headers.ts  what the packet parser must parse
//   6. tests.ts         user tests (`test "name" { }`): packets, entries, expectations
// Any exception inside becomes an NF9999 diagnostic: the checker never crashes its caller.
import type { Program } from "../ast.js";
import type { CheckedProgram } from "../checked.js";
import { diag, hasErrors } from "../diagnostics/catalogue.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { lineCol, type Span } from "../span.js";
import { Ctx, Scope } from "./context.js";
import { checkDeclarations } from "./declarations.js";
import { eventCounters } from "../events.js";
import { checkEventDecls, finishEvents } from "./events.js";
import { checkFlow } from "./flow.js";
import { estimateStack } from "./stack.js";
import { checkBlock } from "./statements.js";
import { checkTests } from "./user-tests.js";
import { usedHeaders } from "./used-headers.js";

export interface CheckOptions {
  /** The source text, used to give closing-brace spans exact line/col (checkSource passes it). */
  source?: string;
}

export function check(
  program: Program,
  options: CheckOptions = {},
): { program?: CheckedProgram; diagnostics: Diagnostic[] } {
  const ctx = new Ctx(program);
  try {
    const result = run(ctx, options);
    return result && !hasErrors(ctx.diags)
      ? { program: result, diagnostics: ctx.diags }
      : { diagnostics: ctx.diags };
  } catch (err) {
    const what = err instanceof Error ? err.message : String(err);
    return { diagnostics: [...ctx.diags, diag("NF9999", program.span, { what: `checker: ${what}` })] };
  }
}

function run(ctx: Ctx, options: CheckOptions): CheckedProgram | undefined {
  const program = ctx.program;
  const decls = checkDeclarations(ctx);
  const events = checkEventDecls(ctx);
  if (!decls.handler) return undefined;
  const body = decls.handler.body;
  const handler = checkBlock(ctx, body, new Scope(undefined, 0, 1n));
  const samples = finishEvents(ctx, events);
  checkFlow(ctx, handler, (s) => closingBrace(s, options.source), body.span);
  const stackBytes = estimateStack(ctx, handler);
  const tests = program.tests ? checkTests(ctx, program.tests, decls.states, options.source) : undefined;
  return {
    file: program.file,
    name: program.name.name,
    hook: program.hook,
    span: program.span,
    consts: decls.consts,
    configs: decls.configs,
    types: decls.types,
    headers: decls.headers,
    parseExts: decls.parseExts,
    states: decls.states,
    counters: eventCounters(decls.counters, events, samples),
    ...(events.length > 0 ? { events } : {}),
    handler,
    usedHeaders: usedHeaders(
      ctx,
      decls.headers.map((h) => h.name),
    ),
    stackBytes,
    ...(tests ? { tests } : {}),
  };
}

/** The span of a block's last character (its `}`). Without the source, line/col are the block's. */
function closingBrace(block: Span, source: string | undefined): Span {
  const start = Math.max(block.start, block.end - 1);
  const lc = source !== undefined ? lineCol(source, start) : { line: block.line, col: block.col };
  return { file: block.file, start, end: block.end, line: lc.line, col: lc.col };
}
