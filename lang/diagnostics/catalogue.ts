// The catalogue of every diagnostic nfc can emit, merged from one table per phase.
// Adding a code: add an entry to the phase's table; the code's number range names the phase.
import type { Span } from "../span.js";
import type { CodeEntry, Diagnostic, Label } from "./diagnostic.js";
import { syntaxCodes } from "./codes-syntax.js";
import { typeCodes } from "./codes-types.js";
import { semanticCodes } from "./codes-semantics.js";
import { limitCodes } from "./codes-limits.js";
import { resourceCodes } from "./codes-resources.js";
import { toolchainCodes } from "./codes-toolchain.js";
import { internalCodes } from "./codes-internal.js";
import { deployCodes } from "./codes-deploy.js";
import { payloadCodes } from "./codes-payload.js";
import { eventCodes } from "./codes-events.js";
import { exportCodes } from "./codes-exports.js";

export const catalogue = {
  ...syntaxCodes,
  ...typeCodes,
  ...semanticCodes,
  ...limitCodes,
  ...resourceCodes,
  ...toolchainCodes,
  ...deployCodes,
  ...payloadCodes,
  ...eventCodes,
  ...exportCodes,
  ...internalCodes,
};

export type Code = keyof typeof catalogue;
export type ParamsOf<C extends Code> = (typeof catalogue)[C] extends CodeEntry<infer P> ? P : never;

/** Builds a diagnostic from the catalogue. `extra` adds secondary labels or overrides the help. */
export function diag<C extends Code>(
  code: C,
  span: Span | undefined,
  params: ParamsOf<C>,
  extra: { secondary?: Label[]; help?: string } = {},
): Diagnostic {
  const e = catalogue[code] as unknown as CodeEntry<ParamsOf<C>>;
  return {
    code,
    severity: e.severity ?? "error",
    message: e.message(params),
    span,
    label: e.label?.(params),
    secondary: extra.secondary ?? [],
    help: extra.help ?? e.help?.(params),
  };
}

export function hasErrors(ds: readonly Diagnostic[]): boolean {
  return ds.some((d) => d.severity === "error");
}
