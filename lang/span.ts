// Source positions. Every AST, checked and IR node carries a Span.

export interface Span {
  /** File name as given by the user (never made absolute: goes into generated C). */
  file: string;
  /** 0-based character offsets into the source, end exclusive. */
  start: number;
  end: number;
  /** 1-based line and column of `start`. */
  line: number;
  col: number;
}

export function spanJoin(a: Span, b: Span): Span {
  return { file: a.file, start: a.start, end: Math.max(a.end, b.end), line: a.line, col: a.col };
}

/** A span for compiler-synthesised nodes that have no source text. */
export function noSpan(file: string): Span {
  return { file, start: 0, end: 0, line: 1, col: 1 };
}

/** A UTF-8 byte order mark: ignored at the start of a source (not a column of line 1). */
export const BOM = "\uFEFF";

/** One line break: `\r\n`, `\r` (old Mac) or `\n`; a file may mix them. */
export const LINE_BREAK = /\r\n|\r|\n/;

/**
 * Offsets where each line's columns start (index 0 = line 1). Every line break kind ends a line;
 * a leading BOM is not a column, so line 1 starts after it. Offsets stay those of `source`.
 */
export function lineStarts(source: string): number[] {
  const starts = [source.startsWith(BOM) ? 1 : 0];
  for (let i = 0; i < source.length; i++) {
    const c = source.charCodeAt(i);
    if (c === 10 || (c === 13 && source.charCodeAt(i + 1) !== 10)) starts.push(i + 1);
  }
  return starts;
}

/** The text of each line (no break characters, no BOM), as line:col counts them. */
export function sourceLines(source: string): string[] {
  return (source.startsWith(BOM) ? source.slice(1) : source).split(LINE_BREAK);
}

/** Computes line/col for an offset (1-based). */
export function lineCol(source: string, offset: number): { line: number; col: number } {
  const starts = lineStarts(source);
  let line = 0;
  while (line + 1 < starts.length && starts[line + 1]! <= offset) line++;
  return { line: line + 1, col: Math.max(1, offset - starts[line]! + 1) };
}

export function makeSpan(file: string, source: string, start: number, end: number): Span {
  const { line, col } = lineCol(source, start);
  return { file, start, end, line, col };
}
