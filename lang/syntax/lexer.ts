// The lexer pass: source text → chevrotain tokens + coded diagnostics (NF1001–NF1009). Literal
// tokens are validated here (integers, addresses, prefixes, string escapes) so a malformed
// literal is reported once, with its own span, even when the parse around it fails; the tokens
// still go to the parser, which builds the literal node (the AST builder re-decodes the text).
import type { ILexingError, IToken, Lexer } from "chevrotain";
import { chevrotain } from "./chevrotain.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { diag } from "../diagnostics/catalogue.js";
import * as T from "./tokens.js";
import {
  decodeInt,
  decodeIp4,
  decodeIp6,
  decodePrefixLen,
  decodeString,
  isMacText,
  splitPrefix,
} from "./literals.js";
import { lexQuick, type Comment } from "./lex-quick.js";

export type { Comment };
import { spanner, type Spanner } from "./spans.js";
import { BOM } from "../span.js";

/** Chevrotain's definition checks cost ~35 ms at every start; lexer.test.ts runs them once. */
export const LEXER_CONFIG = { ensureOptimizations: true, positionTracking: "full" } as const;
/** Built on first use: its analysis of the token definitions costs ~0.1 s, and `lexQuickly`
 *  serves every source without a lexical error. */
let nfLexer: Lexer | undefined;

export interface LexResult {
  tokens: IToken[];
  comments: Comment[];
  diagnostics: Diagnostic[];
  spans: Spanner;
}

/** A leading byte order mark is whitespace (same length, so offsets stay those of `source`). */
function lexable(source: string): string {
  return source.startsWith(BOM) ? " " + source.slice(1) : source;
}

export function lex(source: string, file: string): LexResult {
  nfLexer ??= new (chevrotain().Lexer)(T.allTokens, { ...LEXER_CONFIG, skipValidations: true });
  const res = nfLexer.tokenize(lexable(source));
  const comments = (res.groups["comments"] ?? []).map((t) => ({
    text: t.image,
    start: t.startOffset,
    end: t.startOffset + t.image.length,
    block: t.tokenType === T.BlockComment,
  }));
  return finish(res.tokens, comments, source, file, (spans) => [
    ...res.errors.map((e) => lexError(e, source, spans)),
    ...(res.groups["errors"] ?? [])
      .filter((t) => t.tokenType === T.UnterminatedComment)
      .map((t) => diag("NF1002", spans.span(t.startOffset, t.startOffset + 2), {})),
  ]);
}

/** What `lex` returns, by the quick scan of lex-quick.ts; undefined where `lex` would report a
 *  character or an unterminated comment (literals are checked here, as in `lex`). */
export function lexQuickly(source: string, file: string): LexResult | undefined {
  const r = lexQuick(lexable(source));
  return r === undefined ? undefined : finish(r.tokens, r.comments, source, file, () => []);
}

function finish(
  tokens: IToken[],
  comments: Comment[],
  source: string,
  file: string,
  errors: (spans: Spanner) => Diagnostic[],
): LexResult {
  const last = tokens[tokens.length - 1];
  const spans = spanner(file, source, last === undefined ? 0 : (last.endOffset ?? last.startOffset) + 1);
  const diagnostics = errors(spans);
  for (const t of tokens) diagnostics.push(...checkLiteral(t, spans));
  diagnostics.sort((a, b) => (a.span?.start ?? 0) - (b.span?.start ?? 0));
  return { tokens, comments, diagnostics, spans };
}

function lexError(e: ILexingError, source: string, spans: Spanner): Diagnostic {
  const cp = source.codePointAt(e.offset) ?? 0;
  const ch = String.fromCodePoint(cp);
  const shown = cp < 0x20 || cp === 0x7f ? `\\u{${cp.toString(16)}}` : ch === "`" ? "\\`" : ch;
  const hints: Record<string, string> = {
    "#": "comments start with `//`",
    "'": 'strings use double quotes: `"text"`',
    "?": "optional values are bound with `let x = t.get(k) else { ... }`",
  };
  return diag("NF1001", spans.span(e.offset, e.offset + ch.length), { char: shown, hint: hints[ch] });
}

function checkLiteral(t: IToken, spans: Spanner): Diagnostic[] {
  const at = (from = 0, len = t.image.length) => spans.span(t.startOffset + from, t.startOffset + from + len);
  switch (t.tokenType) {
    case T.IntLit: {
      const r = decodeInt(t.image);
      if (r.ok) return [];
      return r.tooLarge
        ? [diag("NF1005", at(), { text: t.image })]
        : [diag("NF1004", at(), { text: t.image, reason: r.reason })];
    }
    case T.Ip4Lit:
    case T.Ip6Lit: {
      const v4 = t.tokenType === T.Ip4Lit;
      const { addr, len } = splitPrefix(t.image);
      const r = v4
        ? decodeIp4(addr)
        : isMacText(addr)
          ? { ok: false as const, reason: "a MAC address has no prefix length" }
          : decodeIp6(addr);
      if (!r.ok) return [diag(v4 ? "NF1006" : "NF1007", at(), { text: t.image, reason: r.reason })];
      if (len === undefined) return [];
      const max = v4 ? 32 : 128;
      const l = decodePrefixLen(len, max);
      return l.ok ? [] : [diag("NF1008", at(addr.length + 1, len.length), { text: len, max })];
    }
    case T.StringTok:
    case T.UnterminatedString: {
      const out: Diagnostic[] = [];
      if (t.tokenType === T.UnterminatedString) out.push(diag("NF1003", at(0, 1), {}));
      for (const b of decodeString(t.image).badEscapes)
        out.push(diag("NF1009", at(b.offset, b.text.length), { text: b.text }));
      return out;
    }
    default:
      return [];
  }
}
