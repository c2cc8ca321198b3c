// Diagnostic renderings: human (rustc/Gleam style excerpt with underlines), short
// (`file:line:col: error NFxxxx: message`, one per diagnostic) and JSON lines for tools.
// Deterministic: no colours unless asked, tabs shown as 4 spaces, no terminal probing.
import type { Diagnostic, Label } from "./diagnostic.js";
import { sourceLines, type Span } from "../span.js";

export interface HumanOptions {
  /** ANSI colours (off by default). */
  color?: boolean;
}

const TAB = "    ";

interface Style {
  head(sev: string, s: string): string;
  gutter(s: string): string;
  primary(s: string): string;
  secondary(s: string): string;
  bold(s: string): string;
}

const plain: Style = {
  head: (_, s) => s,
  gutter: (s) => s,
  primary: (s) => s,
  secondary: (s) => s,
  bold: (s) => s,
};
const ansi = (code: string) => (s: string) => `\x1b[${code}m${s}\x1b[0m`;
const colored: Style = {
  head: (sev, s) => ansi(sev === "error" ? "1;31" : sev === "warning" ? "1;33" : "1;36")(s),
  gutter: ansi("1;34"),
  primary: ansi("1;31"),
  secondary: ansi("1;34"),
  bold: ansi("1"),
};

interface Mark {
  span: Span;
  message?: string;
  primary: boolean;
}

export function renderHuman(d: Diagnostic, source: string, opts: HumanOptions = {}): string {
  const st = opts.color ? colored : plain;
  const out: string[] = [`${st.head(d.severity, `${d.severity}[${d.code}]`)}${st.bold(`: ${d.message}`)}`];
  const lines = sourceLines(source);
  const marks: Mark[] = [];
  if (d.span) marks.push({ span: d.span, message: d.label, primary: true });
  const elsewhere: Label[] = [];
  for (const s of d.secondary) {
    if (d.span === undefined || s.span.file === d.span.file)
      marks.push({ span: s.span, message: s.message, primary: false });
    else elsewhere.push(s);
  }
  const shown = [...new Set(marks.map((m) => m.span.line))].sort((a, b) => a - b);
  const width = String(Math.max(1, ...shown)).length;
  const pad = " ".repeat(width);
  const bar = st.gutter(`${pad} |`);
  if (d.span) out.push(`${pad}${st.gutter("-->")} ${d.span.file}:${d.span.line}:${d.span.col}`);
  if (shown.length > 0) {
    out.push(bar);
    let prev = 0;
    for (const ln of shown) {
      if (prev !== 0 && ln > prev + 1) out.push(st.gutter("..."));
      prev = ln;
      const text = lines[ln - 1] ?? "";
      out.push(`${st.gutter(`${String(ln).padStart(width)} |`)}${text === "" ? "" : " " + expandTabs(text)}`);
      const here = marks
        .filter((m) => m.span.line === ln)
        .sort((a, b) => Number(b.primary) - Number(a.primary) || a.span.col - b.span.col);
      for (const m of here) out.push(`${bar} ${underline(m, text, st)}`);
    }
    out.push(bar);
  }
  for (const s of elsewhere)
    out.push(`${pad} = note: ${s.message} (${s.span.file}:${s.span.line}:${s.span.col})`);
  if (d.help) out.push(`${pad} ${st.bold("=")} help: ${d.help}`);
  return out.join("\n") + "\n";
}

/** `^^^ label` (primary) or `--- label` under one line; multi-line spans stop at the line end with `...`. */
function underline(m: Mark, text: string, st: Style): string {
  const startIdx = Math.min(m.span.col - 1, text.length);
  const before = expandTabs(text.slice(0, startIdx)).length;
  const lineEnd = text.length - startIdx;
  const len = m.span.end - m.span.start;
  const multi = len > lineEnd;
  const spanned = text.slice(startIdx, startIdx + Math.min(len, lineEnd));
  const n = Math.max(1, expandTabs(spanned).length);
  const marks = (m.primary ? "^" : "-").repeat(n) + (multi ? "..." : "");
  const label = m.message ? ` ${m.message}` : "";
  return " ".repeat(before) + (m.primary ? st.primary : st.secondary)(marks + label);
}

function expandTabs(s: string): string {
  return s.replace(/\t/g, TAB);
}

/** `file:line:col: error NF1010: message`; further message lines are indented by two spaces. */
export function renderShort(d: Diagnostic): string {
  const where = d.span ? `${d.span.file}:${d.span.line}:${d.span.col}: ` : "";
  return `${where}${d.severity} ${d.code}: ${d.message.replace(/\n/g, "\n  ")}`;
}

/** One JSON line: the API's `Diagnostic` as it is (same fields, same nesting, one span shape:
 *  `span` = { file, start, end, line, col }, offsets 0-based with `end` exclusive, line and col
 *  1-based); an absent `span`, `label` or `help` is `null`. */
export function renderJson(d: Diagnostic): string {
  return JSON.stringify({
    code: d.code,
    severity: d.severity,
    message: d.message,
    span: d.span ?? null,
    label: d.label ?? null,
    help: d.help ?? null,
    secondary: d.secondary.map((s) => ({ span: s.span, message: s.message })),
  });
}
