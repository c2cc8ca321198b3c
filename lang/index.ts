// The `lang` front door: source text -> checked program + diagnostics. The compiler, the
// interpreter, the CLI and editors call this; it never touches files.
import { check } from "./check/index.js";
import type { CheckedProgram } from "./checked.js";
import { hasErrors } from "./diagnostics/catalogue.js";
import type { Diagnostic } from "./diagnostics/diagnostic.js";
import { parse } from "./syntax/index.js";

/** Parses and checks `source` (named `file` in spans). Stops after syntax errors. */
export function checkSource(
  source: string,
  file: string,
): { program?: CheckedProgram; diagnostics: Diagnostic[] } {
  const parsed = parse(source, file);
  if (!parsed.program || hasErrors(parsed.diagnostics)) return { diagnostics: parsed.diagnostics };
  const checked = check(parsed.program, { source });
  return checked.program
    ? { program: checked.program, diagnostics: [...parsed.diagnostics, ...checked.diagnostics] }
    : { diagnostics: [...parsed.diagnostics, ...checked.diagnostics] };
}

export { check, type CheckOptions } from "./check/index.js";
export { parse } from "./syntax/index.js";
export type * from "./ast.js";
export type * from "./checked.js";
export * from "./types.js";
export * from "./span.js";
export * from "./headers.js";
export { catalogue, diag, hasErrors, type Code } from "./diagnostics/catalogue.js";
export type { Diagnostic, Label, Severity, CodeEntry } from "./diagnostics/diagnostic.js";
export { BLOCKS, findBlock, type BlockDef, type OpSig, type ParamSpec, type Params } from "./blocks/index.js";
