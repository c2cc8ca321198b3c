// `formatSource(source, file)`: the canonical layout of an .nf program (prettier with the nf
// plugin, fixed options: the layout does not depend on a project's prettier config). A program
// with syntax errors is not formatted: its diagnostics come back instead.
import { format } from "prettier";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { parse } from "../syntax/index.js";
import { nfPlugin } from "./plugin.js";

export const FORMAT_OPTIONS = { printWidth: 110, tabWidth: 2, useTabs: false, endOfLine: "lf" } as const;

export type FormatResult = { formatted: string } | { diagnostics: Diagnostic[] };

export async function formatSource(source: string, file: string): Promise<FormatResult> {
  const r = parse(source, file);
  const errors = r.diagnostics.filter((d) => d.severity === "error");
  if (r.program === undefined || errors.length > 0) return { diagnostics: errors };
  const formatted = await format(source, {
    ...FORMAT_OPTIONS,
    parser: "nf",
    plugins: [nfPlugin],
    filepath: file,
  });
  return { formatted };
}
