// .nf lines for the kernel's eyes. The C nfc writes carries a provenance comment
// (`/* heavy_hitter.nf:19:3 */`) before the first statement of each .nf line. The C that clang
// compiles (under another name, beside the written `.bpf.c` and the `.nf`, whose lines clang copies
// into BTF) is the same text with `#line` directives added: every line that lowers a .nf statement
// (from a provenance comment to the next one, or to the end of the function) is attributed to its
// .nf line, every other line back to its own line in the written `.bpf.c`. BTF line info, and so
// `bpftool prog dump xlated linum` and the verifier log, then name `heavy_hitter.nf:19`, and the
// written C stays as readable as before. Deterministic: a pure function of the C text.
import { basename } from "node:path";
import type { Span } from "../../lang/span.js";

/** `#line` needs a string literal: quotes and backslashes escaped, nothing else changed. */
function cString(s: string): string {
  return `"${s.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

const PROVENANCE = /^\s*\/\* (.+):(\d+):(\d+) \*\/$/;

/**
 * The C to give clang: `c` (the text of `cFile`) with `#line` directives mapping each statement
 * line to the .nf line named by the provenance comment before it. `nfFile` is the basename used
 * in those comments; comments naming another file are left alone.
 */
export function withNfLines(c: string, cFile: string, nfFile: string): string {
  const lines = c.split("\n");
  const out: string[] = [];
  let nfLine: number | undefined; // the .nf line the current C line lowers, if any
  // Where clang believes the next line is: [file, line].
  let presumedFile = ""; // (compiled under another name: the first line gets a directive)
  let presumedLine = 1;
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i]!;
    const m = PROVENANCE.exec(text);
    if (m && m[1] === nfFile) nfLine = Number(m[2]);
    else if (text.startsWith("}")) nfLine = undefined; // end of the function body
    const [file, line] = nfLine !== undefined && !m ? [nfFile, nfLine] : [cFile, i + 1];
    // Never between the lines of a continued preprocessor line.
    const continued = i > 0 && lines[i - 1]!.endsWith("\\");
    if (!continued && (file !== presumedFile || line !== presumedLine)) {
      out.push(`#line ${line} ${cString(file)}`);
      presumedFile = file;
      presumedLine = line;
    }
    out.push(text);
    presumedLine++;
  }
  return out.join("\n");
}

/** The .nf line a verifier log blames: the last `; … @ <nfFile>:<line>` before its end. */
export function nfLineOfVerifierLog(log: string, nfFile: string): number | undefined {
  let found: number | undefined;
  const suffix = new RegExp(`@ ${nfFile.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:(\\d+)$`);
  for (const line of log.split("\n")) {
    const m = suffix.exec(line.trimEnd());
    if (line.startsWith(";") && m) found = Number(m[1]);
  }
  return found;
}

/** The span of the .nf line a verifier log blames (its first non-blank character to its end). */
export function verifierSpan(log: string, file: string, text: string): Span | undefined {
  const line = nfLineOfVerifierLog(log, basename(file));
  if (line === undefined) return undefined;
  const lines = text.split("\n");
  if (line > lines.length) return undefined;
  let start = 0;
  for (let i = 0; i < line - 1; i++) start += lines[i]!.length + 1;
  const body = lines[line - 1]!.replace(/\r$/, "");
  const indent = body.length - body.trimStart().length;
  return { file, start: start + indent, end: start + body.length, line, col: indent + 1 };
}
