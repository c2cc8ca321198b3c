// Source bytes → source text. A `.nf` file is UTF-8: a byte sequence that is not is reported
// (NF1027, at the first bad byte) instead of being replaced by U+FFFD and lexed as a stray
// character. A leading byte order mark is kept (the lexer and the spans skip it, lang/span.ts).
import type { Diagnostic } from "./diagnostics/diagnostic.js";
import { diag } from "./diagnostics/catalogue.js";
import { makeSpan } from "./span.js";

export function decodeSource(bytes: Uint8Array, file: string): { source: string; diagnostics: Diagnostic[] } {
  const source = new TextDecoder("utf-8", { fatal: false, ignoreBOM: true }).decode(bytes);
  const bad = firstInvalidByte(bytes);
  if (bad === undefined) return { source, diagnostics: [] };
  const at = new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes.subarray(0, bad)).length;
  const byte = `0x${bytes[bad]!.toString(16).padStart(2, "0")}`;
  return { source, diagnostics: [diag("NF1027", makeSpan(file, source, at, at + 1), { byte, offset: bad })] };
}

/** Offset of the first byte that does not belong to a well-formed UTF-8 sequence (RFC 3629). */
export function firstInvalidByte(b: Uint8Array): number | undefined {
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    const n =
      c < 0x80
        ? 0
        : c >= 0xc2 && c <= 0xdf
          ? 1
          : c >= 0xe0 && c <= 0xef
            ? 2
            : c >= 0xf0 && c <= 0xf4
              ? 3
              : -1;
    if (n < 0) return i;
    if (n === 0) {
      i++;
      continue;
    }
    // second byte ranges that exclude overlongs, surrogates and code points past U+10FFFF
    const lo = c === 0xe0 ? 0xa0 : c === 0xf0 ? 0x90 : 0x80;
    const hi = c === 0xed ? 0x9f : c === 0xf4 ? 0x8f : 0xbf;
    for (let k = 1; k <= n; k++) {
      const x = b[i + k];
      if (x === undefined) return i;
      if (k === 1 ? x < lo || x > hi : x < 0x80 || x > 0xbf) return i;
    }
    i += n + 1;
  }
  return undefined;
}
