// The fast path's lexer: the tokens and comments chevrotain's lexer (lexer.ts) would produce for a
// source it lexes without an error, by one hand-written scan instead of a Lexer that analyses its
// ~90 token definitions at every start (~0.1 s). Patterns and priorities are tokens.ts's own (the
// regular expressions and custom matchers are reused, the punctuation list is read from
// `allTokens`); where chevrotain would report a character or an unterminated comment, it gives up
// and lexer.ts runs. lex-quick.test.ts compares the two on every .nf and on mutants.
import type { IToken, TokenType } from "chevrotain";
import * as T from "./tokens.js";

/** A comment as written: a line comment or a block comment (`block`). */
export interface Comment {
  text: string;
  start: number;
  end: number;
  block: boolean;
}

/** Punctuation by first character, longest first (the order of `allTokens`). */
const PUNCT = new Map<string, { text: string; type: TokenType }[]>();
for (const type of T.allTokens) {
  const p = type.PATTERN;
  if (typeof p !== "string") continue;
  const list = PUNCT.get(p[0]!) ?? [];
  list.push({ text: p, type });
  PUNCT.set(p[0]!, list);
}
const KEYWORD = new Map<string, TokenType>(
  T.allTokens.filter((t) => t.name.startsWith("Kw_")).map((t) => [t.name.slice(3), t]),
);

function sticky(t: TokenType): RegExp {
  return new RegExp((t.PATTERN as RegExp).source, "y");
}
const DECIMAL = sticky(T.DecimalLit);
const INT = sticky(T.IntLit);
const STRING = sticky(T.StringTok);
const UNTERMINATED_STRING = sticky(T.UnterminatedString);
const WORD = sticky(T.Identifier);
const SPACE = /[ \t\r\n]+/y;
const LINE_COMMENT = /\/\/[^\r\n]*/y;
const BLOCK_COMMENT = /\/\*[\s\S]*?\*\//y;

type Exec = (text: string, offset: number) => RegExpExecArray | null;
const exec = (t: TokenType): Exec => (t.PATTERN as { exec: Exec }).exec;
const [IP4, MAC, IP6] = [exec(T.Ip4Lit), exec(T.MacLit), exec(T.Ip6Lit)];

function match(re: RegExp, text: string, at: number): string | undefined {
  re.lastIndex = at;
  return re.exec(text)?.[0];
}

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isWordStart = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;

/** Tokens and comments, or undefined where lexer.ts would report an error. `text` has its BOM
 *  already replaced (as lexer.ts does). */
export function lexQuick(text: string): { tokens: IToken[]; comments: Comment[] } | undefined {
  const tokens: IToken[] = [];
  const comments: Comment[] = [];
  const push = (image: string, type: TokenType, at: number): void => {
    tokens.push({ image, startOffset: at, endOffset: at + image.length - 1, tokenType: type } as IToken);
  };
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13) {
      i += match(SPACE, text, i)!.length;
      continue;
    }
    if (c === 47 /* / */ && (text[i + 1] === "/" || text[i + 1] === "*")) {
      const block = text[i + 1] === "*";
      const s = match(block ? BLOCK_COMMENT : LINE_COMMENT, text, i);
      if (s === undefined) return undefined; // unterminated: NF1002
      comments.push({ text: s, start: i, end: i + s.length, block });
      i += s.length;
      continue;
    }
    const digit = isDigit(c);
    const word = isWordStart(c);
    if (digit || word || c === 58 /* : */) {
      // tokens.ts order: addresses, then numbers, then keywords / `_` / names, then `:`
      const ip4 = digit ? IP4(text, i) : null;
      const mac = ip4 === null ? MAC(text, i) : null;
      const m = ip4 ?? mac ?? IP6(text, i);
      if (m !== null) {
        push(m[0], ip4 !== null ? T.Ip4Lit : mac !== null ? T.MacLit : T.Ip6Lit, i);
        i += m[0].length;
        continue;
      }
      if (digit) {
        const d = match(DECIMAL, text, i);
        const s = d ?? match(INT, text, i)!;
        push(s, d !== undefined ? T.DecimalLit : T.IntLit, i);
        i += s.length;
        continue;
      }
      if (word) {
        const s = match(WORD, text, i)!;
        push(s, KEYWORD.get(s) ?? (s === "_" ? T.Underscore : T.Identifier), i);
        i += s.length;
        continue;
      }
    }
    if (c === 34 /* " */) {
      const s = match(STRING, text, i);
      const u = s ?? match(UNTERMINATED_STRING, text, i)!;
      push(u, s !== undefined ? T.StringTok : T.UnterminatedString, i);
      i += u.length;
      continue;
    }
    const p = PUNCT.get(text[i]!)?.find((x) => text.startsWith(x.text, i));
    if (p === undefined) return undefined; // NF1001
    push(p.text, p.type, i);
    i += p.text.length;
  }
  return { tokens, comments };
}
