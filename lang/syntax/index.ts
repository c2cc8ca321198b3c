// The syntax phase: `.nf` source → AST (lang/ast.ts) + NF1xxx diagnostics. Never throws: lexer
// and parser recover, and an unexpected exception becomes an internal-error diagnostic (a bug).
// Two paths, one result: a well-formed program goes straight from tokens to the AST
// (wellformed.ts); anything else takes chevrotain's recovering parser and the CST visitor, which
// report every mistake.
import type { CstNode } from "chevrotain";
import type { Program } from "../ast.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { diag } from "../diagnostics/catalogue.js";
import { lex, lexQuickly, type Comment } from "./lexer.js";
import { sharedParser } from "./parser.js";
import { recognitionToDiagnostic } from "./errors.js";
import { AstBuilder } from "./to-ast.js";
import { checkExprDepth, scanTokens } from "./limits.js";
import { parseWellFormed } from "./wellformed.js";

export interface ParseResult {
  /** Absent when the `nf` line is missing; may hold `error` nodes when diagnostics has errors. */
  program?: Program;
  diagnostics: Diagnostic[];
  /** The comments, in source order (the formatter keeps them; the checker ignores them). */
  comments: Comment[];
}

export type { Comment };

export function parse(source: string, file: string): ParseResult {
  return parseVia(source, file, true);
}

/** The recovering path alone, even for a well-formed program (wellformed.test.ts compares). */
export function parseRecovering(source: string, file: string): ParseResult {
  return parseVia(source, file, false);
}

function parseVia(source: string, file: string, direct: boolean): ParseResult {
  try {
    return (direct ? parseDirect(source, file) : undefined) ?? parseRecoveringPath(source, file);
  } catch (e) {
    const what = e instanceof Error ? e.message : String(e);
    return { diagnostics: [diag("NF9999", undefined, { what: `the parser failed: ${what}` })], comments: [] };
  }
}

/** The fast path (lexer.ts `lexQuickly`, wellformed.ts), or undefined at the first thing that
 *  would be a diagnostic: the recovering path then reports it. */
function parseDirect(source: string, file: string): ParseResult | undefined {
  const lexed = lexQuickly(source, file);
  if (lexed === undefined || lexed.diagnostics.length > 0) return undefined;
  const { tokens, spans, comments } = lexed;
  if (scanTokens(tokens, spans).length > 0) return undefined;
  const program = parseWellFormed(tokens, spans);
  return program && { program, diagnostics: dedupe(checkExprDepth(program)), comments };
}

function parseRecoveringPath(source: string, file: string): ParseResult {
  const { tokens, comments, diagnostics: lexDiags, spans } = lex(source, file);
  // nesting beyond the limits would exhaust the stack of a recursive phase: refuse it unparsed
  const tooDeep = scanTokens(tokens, spans);
  if (tooDeep.length > 0) return { diagnostics: dedupe([...lexDiags, ...tooDeep]), comments };
  const parser = sharedParser();
  parser.input = tokens;
  const cst: CstNode = parser.program();
  const parseDiags = parser.errors.map((e) => recognitionToDiagnostic(e, tokens, spans));
  const astDiags: Diagnostic[] = [];
  const program = new AstBuilder(spans, astDiags).visit(cst, spans.span(0, source.length)) as
    Program | undefined;
  const parseAt = new Set(parseDiags.map((d) => d.span?.start));
  // stray tokens right where the parser already complained are the same mistake: say it once
  const junk = astDiags.filter(
    (d) => !((d.code === "NF1013" || d.code === "NF1014") && parseAt.has(d.span?.start)),
  );
  const depthDiags = program !== undefined ? checkExprDepth(program) : [];
  const diagnostics = dedupe([...lexDiags, ...parseDiags, ...junk, ...depthDiags]);
  return program !== undefined ? { program, diagnostics, comments } : { diagnostics, comments };
}

/** Sorted by position; one diagnostic per (code, offset, message). */
function dedupe(ds: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  for (const d of [...ds].sort((a, b) => (a.span?.start ?? -1) - (b.span?.start ?? -1))) {
    const key = `${d.code}:${d.span?.start}:${d.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(d);
  }
  return out;
}
