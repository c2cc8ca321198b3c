// The one shape every phase reports problems in. Messages come from the catalogue (catalogue.ts);
// each code's entry takes typed parameters, so a report site cannot forget one.
import type { Span } from "../span.js";

export type Severity = "error" | "warning" | "note";

export interface Label {
  span: Span;
  message: string;
}

export interface Diagnostic {
  /** Stable code: NF1xxx syntax, NF2xxx names/types, NF3xxx NF semantics, NF4xxx target limits,
   *  NF5xxx toolchain/kernel, NF9999 internal compiler error. */
  code: string;
  severity: Severity;
  /** Lowercase, in the user's terms, names in backticks. */
  message: string;
  /** Primary location; absent only for errors with no source (a missing tool). */
  span?: Span;
  /** Label shown at the primary span (e.g. "expected `u32`, found `ip4`"). */
  label?: string;
  /** Secondary locations ("first declared here"). */
  secondary: Label[];
  /** One concrete suggestion. */
  help?: string;
}

/** One catalogue entry. P is the typed parameter bag of the message. */
export interface CodeEntry<P> {
  severity?: Severity;
  /** Short family title shown by `nfc explain`. */
  title: string;
  message: (p: P) => string;
  help?: (p: P) => string | undefined;
  label?: (p: P) => string | undefined;
  /** Long explanation with an example, printed by `nfc explain NFxxxx`. */
  explain: string;
}

export function entry<P>(e: CodeEntry<P>): CodeEntry<P> {
  return e;
}
