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

/** Computes line/col for an offset (1-based). */
export function lineCol(source: string, offset: number): { line: number; col: number } {
  let line = 1;
  let last = -1;
  for (let i = 0; i < offset && i < source.length; i++) {
    if (source.charCodeAt(i) === 10) {
      line++;
      last = i;
    }
  }
  return { line, col: offset - last };
}

export function makeSpan(file: string, source: string, start: number, end: number): Span {
  const { line, col } = lineCol(source, start);
  return { file, start, end, line, col };
}
