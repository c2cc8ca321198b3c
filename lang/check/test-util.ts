// Test support (no test framework imports): sources with the expected span marked ⟦like this⟧.
import type { ExpectStatic } from "vitest";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { checkSource } from "../index.js";
import { lineCol } from "../span.js";

export interface Marked {
  source: string;
  line: number;
  col: number;
  len: number;
}

/** Strips one ⟦...⟧ marker and returns where it was. */
export function unmark(marked: string): Marked {
  const start = marked.indexOf("⟦");
  const close = marked.indexOf("⟧");
  if (start < 0 || close < start) throw new Error("test source needs one ⟦span⟧ marker");
  const source = marked.slice(0, start) + marked.slice(start + 1, close) + marked.slice(close + 1);
  const { line, col } = lineCol(source, start);
  return { source, line, col, len: close - start - 1 };
}

/** Checks a marked source; returns everything a test asserts on. */
export function runMarked(marked: string): {
  m: Marked;
  diagnostics: Diagnostic[];
  errorCodes: string[];
  at: (code: string) => { line: number; col: number; len: number } | undefined;
  ok: boolean;
} {
  const m = unmark(marked);
  const r = checkSource(m.source, "t.nf");
  const at = (code: string) => {
    const d = r.diagnostics.find((x) => x.code === code);
    return d?.span ? { line: d.span.line, col: d.span.col, len: d.span.end - d.span.start } : undefined;
  };
  return {
    m,
    diagnostics: r.diagnostics,
    errorCodes: r.diagnostics.filter((d) => d.severity === "error").map((d) => d.code),
    at,
    ok: r.program !== undefined,
  };
}

export const H = "nf t on xdp\n";
export const TABLES =
  "table blocked: hash<ip4, u64>(capacity = 1024)\nsketch flows: count_min<flow5>(rows = 4, width = 1024)\ncounter dropped\n";

/** A handler body with ipv4 bound as `ip`, after TABLES and `decls`. */
export const body = (stmts: string, decls = ""): string =>
  `${H}${TABLES}${decls}on packet {\n  let ip = ipv4 else { pass }\n  ${stmts}\n  pass\n}\n`;

/** A handler body with nothing bound. */
export const plain = (stmts: string, decls = ""): string =>
  `${H}${TABLES}${decls}on packet {\n  ${stmts}\n}\n`;

/** Asserts `code` is the only error, at exactly the marked span, with a message and a help line. */
export function expectOnly(expect: ExpectStatic, code: string, marked: string): void {
  const r = runMarked(marked);
  expect(r.errorCodes, JSON.stringify(r.diagnostics.map((d) => `${d.code} ${d.message}`))).toEqual([code]);
  expect(r.at(code)).toEqual({ line: r.m.line, col: r.m.col, len: r.m.len });
  const d = r.diagnostics.find((x) => x.code === code)!;
  expect(d.message.length).toBeGreaterThan(5);
  expect(d.help?.length ?? 0).toBeGreaterThan(5);
  expect(r.ok).toBe(false);
}
