// Chevrotain recognition exceptions → coded diagnostics (NF1010–NF1018). The parser's message
// provider encodes { k, expected, rule } as JSON; here that becomes a message in the user's terms,
// with the span of the offending token (end of file: just after the last token).
import type { IRecognitionException, IToken, TokenType } from "chevrotain";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { diag } from "../diagnostics/catalogue.js";
import * as T from "./tokens.js";
import type { Spanner } from "./spans.js";

interface Info {
  k: "mismatch" | "rest" | "noalt" | "early";
  expected?: string;
  rule: string;
}

/** What a rule expects, for "expected X" when no alternative matched. */
const RULE_WANTS: Record<string, string> = {
  typeExpr: "a type",
  pattern: "a pattern (a constant, `LO..HI` or `_`)",
  stmt: "a statement",
  topItem: "a declaration",
  handlerDecl: "`packet`",
  constDecl: "`const` or `config`",
  typeDecl: "`type` or `header`",
  stateDecl: "`table`, `sketch` or `queue`",
};
const EXPR_RULES = new Set([
  "expr",
  "orExpr",
  "andExpr",
  "cmpExpr",
  "bitOrExpr",
  "bitXorExpr",
  "bitAndExpr",
  "shiftExpr",
  "addExpr",
  "mulExpr",
  "unaryExpr",
  "postfixExpr",
  "primary",
  "cond",
  "arg",
  "exprStmt",
]);

const CLOSERS: Record<string, { open: TokenType; close: string; what: string }> = {
  RCurly: { open: T.LCurly, close: "}", what: "block" },
  RParen: { open: T.LParen, close: ")", what: "parenthesis" },
  RBracket: { open: T.LBracket, close: "]", what: "bracket" },
};

export function found(t: IToken | undefined): string {
  if (t === undefined || t.tokenType.name === "EOF" || !Number.isFinite(t.startOffset)) return "end of file";
  const img = t.image.length > 24 ? t.image.slice(0, 21) + "..." : t.image;
  return "`" + img.replace(/`/g, "\\`").replace(/\n/g, "\\n") + "`";
}

export function recognitionToDiagnostic(
  e: IRecognitionException,
  tokens: IToken[],
  spans: Spanner,
): Diagnostic {
  let info: Info;
  try {
    info = JSON.parse(e.message) as Info;
  } catch {
    info = { k: "noalt", rule: "" };
  }
  const tok = e.token;
  const at = spans.tok(tok);
  const prev = (e as { previousToken?: IToken }).previousToken;
  const f = found(tok);
  if (prev?.tokenType === T.Else && (info.rule === "elseBranch" || info.expected === "LCurly")) {
    return diag("NF1018", at, { found: f });
  }
  if (info.rule === "hook") return diag("NF1017", at, { found: f });
  if (info.k === "mismatch" && info.expected !== undefined) {
    const closer = CLOSERS[info.expected];
    const opener = closer && findOpener(tokens, tok, closer.open);
    if (closer && opener) {
      const o = spans.tok(opener);
      return diag(
        "NF1011",
        at,
        { close: closer.close, what: closer.what, line: o.line, col: o.col, found: f },
        { secondary: [{ span: o, message: `${closer.what} opened here` }] },
      );
    }
    if (EXPR_RULES.has(info.rule) && info.expected !== "RParen" && isExprStart(info.expected)) {
      return diag("NF1012", at, { found: f });
    }
    return diag("NF1010", at, { expected: T.displayTokenType(tokenTypeByName(info.expected)), found: f });
  }
  if (info.k === "rest") return diag("NF1014", at, { found: f });
  if (EXPR_RULES.has(info.rule) || info.rule === "") return diag("NF1012", at, { found: f });
  return diag("NF1010", at, { expected: RULE_WANTS[info.rule] ?? "something else", found: f });
}

function isExprStart(name: string): boolean {
  return ["Identifier", "IntLit", "StringLit", "LParen"].includes(name);
}

const byName = new Map(T.allTokens.map((t) => [t.name, t] as const));
function tokenTypeByName(name: string): TokenType {
  return byName.get(name) ?? T.AnyTok;
}

/** The innermost `{`/`(`/`[` of the wanted kind still open before `at` (a bracket-matching scan). */
function findOpener(tokens: IToken[], at: IToken, open: TokenType): IToken | undefined {
  const limit = Number.isFinite(at.startOffset) ? at.startOffset : Infinity;
  const pairs = new Map<TokenType, TokenType>([
    [T.RCurly, T.LCurly],
    [T.RParen, T.LParen],
    [T.RBracket, T.LBracket],
  ]);
  const stack: IToken[] = [];
  for (const t of tokens) {
    if (t.startOffset >= limit) break;
    const tt = t.tokenType;
    if (tt === T.LCurly || tt === T.LParen || tt === T.LBracket) stack.push(t);
    const want = pairs.get(tt);
    if (want !== undefined) {
      const i = stack.map((s) => s.tokenType).lastIndexOf(want);
      if (i >= 0) stack.length = i;
    }
  }
  for (let i = stack.length - 1; i >= 0; i--) if (stack[i]!.tokenType === open) return stack[i];
  return undefined;
}
