// Token types of the nf language (chevrotain). Order in `allTokens` is the lexer's priority:
// comments, addresses (IPv4, MAC before IPv6, all before numbers and identifiers), numbers,
// strings, keywords (reserved; `longer_alt` keeps `passed` an identifier), identifiers, punctuation
// (longest first). Every token type is in the `AnyTok` category so the parser's recovery rules
// can skip "any token"; `display` names a token type in messages.
// The definitions are plain data, built without chevrotain: the fast path (lex-quick.ts,
// wellformed.ts) reads them and never loads chevrotain; chevrotain.ts hands them to chevrotain
// (its `Lexer.NA` and `Lexer.SKIPPED` in place of the stand-ins below) when a mistake needs the
// recovering lexer and parser, whose constructors complete them (indices, category maps).
import type { CustomPatternMatcherFunc, TokenType } from "chevrotain";
import { isMacText } from "./literals.js";

/** Stand-ins for chevrotain's `Lexer.NA` and `Lexer.SKIPPED` until chevrotain is loaded. */
export const NOT_APPLICABLE = /NOT_APPLICABLE/;
export const SKIPPED = "skipped";
const Lexer = { NA: NOT_APPLICABLE, SKIPPED };

interface TokenConfig {
  name: string;
  pattern: RegExp | string | { exec: CustomPatternMatcherFunc };
  categories?: TokenType[];
  group?: string;
  longer_alt?: TokenType;
  line_breaks?: boolean;
  start_chars_hint?: string[];
}

/** chevrotain's `createToken` without its bookkeeping: the same properties, upper-cased. */
function createToken(c: TokenConfig): TokenType {
  const t: TokenType = { name: c.name, PATTERN: c.pattern };
  if (c.categories !== undefined) t.CATEGORIES = c.categories;
  if (c.group !== undefined) t.GROUP = c.group;
  if (c.longer_alt !== undefined) t.LONGER_ALT = c.longer_alt;
  if (c.line_breaks !== undefined) t.LINE_BREAKS = c.line_breaks;
  if (c.start_chars_hint !== undefined) t.START_CHARS_HINT = c.start_chars_hint;
  return t;
}

export const AnyTok = createToken({ name: "AnyTok", pattern: Lexer.NA });
/** Where a field name is expected (after `.`, in field declarations) keywords are names too:
 *  `eth.type`, `header h { type: u16 }`. */
export const FieldName = createToken({ name: "FieldName", pattern: Lexer.NA });
export const AssignOp = createToken({ name: "AssignOp", pattern: Lexer.NA });
export const CmpOp = createToken({ name: "CmpOp", pattern: Lexer.NA });
export const ShiftOp = createToken({ name: "ShiftOp", pattern: Lexer.NA });
export const AddOp = createToken({ name: "AddOp", pattern: Lexer.NA });
export const MulOp = createToken({ name: "MulOp", pattern: Lexer.NA });
export const UnaryOp = createToken({ name: "UnaryOp", pattern: Lexer.NA });
export const StringLit = createToken({ name: "StringLit", pattern: Lexer.NA });

const display = new Map<TokenType, string>();

function tok(
  name: string,
  pattern: RegExp | string,
  shown: string,
  cats: TokenType[] = [],
  extra = {},
): TokenType {
  const t = createToken({ name, pattern, categories: [AnyTok, ...cats], ...extra });
  display.set(t, shown);
  return t;
}

function custom(name: string, exec: CustomPatternMatcherFunc, hint: string, shown: string): TokenType {
  const t = createToken({
    name,
    pattern: { exec },
    line_breaks: false,
    start_chars_hint: [...hint],
    categories: [AnyTok],
  });
  display.set(t, shown);
  return t;
}

// ---------- skipped ----------
export const WhiteSpace = createToken({
  name: "WhiteSpace",
  pattern: /[ \t\r\n]+/,
  group: Lexer.SKIPPED,
  line_breaks: true,
});
/** Comments are kept aside (group "comments", not given to the parser) for the formatter. */
export const LineComment = createToken({ name: "LineComment", pattern: /\/\/[^\r\n]*/, group: "comments" });
export const BlockComment = createToken({
  name: "BlockComment",
  pattern: /\/\*[\s\S]*?\*\//,
  group: "comments",
  line_breaks: true,
});
/** Reported as NF1002 and dropped (group "errors"). */
export const UnterminatedComment = createToken({
  name: "UnterminatedComment",
  pattern: /\/\*[\s\S]*/,
  group: "errors",
  line_breaks: true,
});

// ---------- addresses (custom matchers: shape first, validation in the lexer pass) ----------
const DIGITS = "0123456789";
const HEXISH = DIGITS + "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_:";

const ip4Re = /[0-9]+(?:\.[0-9]+){2,}(?:\/[0-9]+)?/y;
const colonRe = /[0-9A-Za-z_]*(?::[0-9A-Za-z_]*)+(?:\.[0-9]+)*(?:\/[0-9]+)?/y;

function sticky(re: RegExp, text: string, offset: number): RegExpExecArray | null {
  re.lastIndex = offset;
  return re.exec(text);
}

/** An address-shaped run with at least two `:` (one `:` is a type annotation or field). */
function colonRun(text: string, offset: number): RegExpExecArray | null {
  const m = sticky(colonRe, text, offset);
  if (m === null) return null;
  const colons = m[0].split("/")[0]!.split(":").length - 1;
  return colons >= 2 ? m : null;
}

/** `10.0.0.1`, `10.0.0.0/8`; any digits-and-dots run with 2+ dots (so `1.2.3` is a bad address). */
export const Ip4Lit = custom(
  "Ip4Lit",
  (text, offset) => sticky(ip4Re, text, offset),
  DIGITS,
  "an IPv4 address",
);
/** `02:00:00:00:00:01`: exactly six two-digit hex groups, not followed by more address text. */
export const MacLit = custom(
  "MacLit",
  (text, offset) => {
    const m = colonRun(text, offset);
    return m !== null && isMacText(m[0]) ? m : null;
  },
  HEXISH,
  "a MAC address",
);
/** `2001:db8::1`, `::1`, `::ffff:1.2.3.4`, `fe80::/10`; any run with at least two `:`. */
export const Ip6Lit = custom("Ip6Lit", colonRun, HEXISH, "an IPv6 address");

// ---------- numbers, strings ----------
export const DecimalLit = tok("DecimalLit", /[0-9][0-9_]*\.[0-9][0-9_]*/, "a decimal number");
/** Any digit-led alphanumeric run; `decodeInt` reports bad digits (`0x`, `12ab`, `0b102`). */
export const IntLit = tok("IntLit", /[0-9][0-9A-Za-z_]*/, "an integer");
export const StringTok = tok("String", /"(?:[^"\\\r\n]|\\.)*"/, "a string", [StringLit]);
/** Reported as NF1003; still a string token for the parser. */
export const UnterminatedString = tok("UnterminatedString", /"(?:[^"\\\r\n]|\\.)*\\?/, "a string", [
  StringLit,
]);

// ---------- identifiers and keywords ----------
export const Identifier = tok("Identifier", /[A-Za-z_][A-Za-z0-9_]*/, "a name", [FieldName]);

/** A name or a keyword: what may stand where a field name is expected. */
export function isFieldName(t: TokenType): boolean {
  return t === Identifier || (t.CATEGORIES ?? []).includes(FieldName);
}

/** `=` or a compound assignment (`+=`, ...). */
export function isAssign(t: TokenType): boolean {
  return (t.CATEGORIES ?? []).includes(AssignOp);
}

export const KEYWORDS = [
  "nf",
  "on",
  "xdp",
  "tc",
  "ingress",
  "egress",
  "const",
  "config",
  "type",
  "header",
  "parse",
  "table",
  "sketch",
  "queue",
  "counter",
  "packet",
  "let",
  "var",
  "if",
  "else",
  "match",
  "for",
  "in",
  "repeat",
  "break",
  "pass",
  "drop",
  "tx",
  "redirect",
  "as",
  "true",
  "false",
  "test",
  "event",
  "emit",
] as const;

function kw(word: string): TokenType {
  return tok("Kw_" + word, new RegExp(word), "`" + word + "`", [FieldName], { longer_alt: Identifier });
}

export const Nf = kw("nf"),
  On = kw("on"),
  Xdp = kw("xdp"),
  Tc = kw("tc"),
  Ingress = kw("ingress");
export const Egress = kw("egress"),
  Const = kw("const"),
  Config = kw("config"),
  Type = kw("type");
export const Header = kw("header"),
  Parse = kw("parse"),
  Table = kw("table"),
  Sketch = kw("sketch");
export const Queue = kw("queue"),
  Counter = kw("counter"),
  Packet = kw("packet"),
  Let = kw("let");
export const Var = kw("var"),
  If = kw("if"),
  Else = kw("else"),
  Match = kw("match"),
  For = kw("for");
export const In = kw("in"),
  Repeat = kw("repeat"),
  Break = kw("break"),
  Pass = kw("pass");
export const Drop = kw("drop"),
  Tx = kw("tx"),
  Redirect = kw("redirect"),
  As = kw("as");
export const True = kw("true"),
  False = kw("false"),
  Test = kw("test");
/** Events (lang/events.ts): `event NAME { f: T }` and `emit NAME { f = e }`. */
export const Event = kw("event"),
  Emit = kw("emit");
/** `_` alone is the wildcard pattern; `_x` is an identifier. */
export const Underscore = tok("Underscore", /_/, "`_`", [], { longer_alt: Identifier });

// ---------- punctuation (longest first) ----------
export const ShlEq = tok("ShlEq", "<<=", "`<<=`", [AssignOp]);
export const ShrEq = tok("ShrEq", ">>=", "`>>=`", [AssignOp]);
export const FatArrow = tok("FatArrow", "=>", "`=>`");
export const EqEq = tok("EqEq", "==", "`==`", [CmpOp]);
export const NotEq = tok("NotEq", "!=", "`!=`", [CmpOp]);
export const LtEq = tok("LtEq", "<=", "`<=`", [CmpOp]);
export const GtEq = tok("GtEq", ">=", "`>=`", [CmpOp]);
export const Shl = tok("Shl", "<<", "`<<`", [ShiftOp]);
export const Shr = tok("Shr", ">>", "`>>`", [ShiftOp]);
export const AndAnd = tok("AndAnd", "&&", "`&&`");
export const OrOr = tok("OrOr", "||", "`||`");
export const PlusEq = tok("PlusEq", "+=", "`+=`", [AssignOp]);
export const MinusEq = tok("MinusEq", "-=", "`-=`", [AssignOp]);
export const StarEq = tok("StarEq", "*=", "`*=`", [AssignOp]);
export const PipeEq = tok("PipeEq", "|=", "`|=`", [AssignOp]);
export const AmpEq = tok("AmpEq", "&=", "`&=`", [AssignOp]);
export const CaretEq = tok("CaretEq", "^=", "`^=`", [AssignOp]);
export const DotDot = tok("DotDot", "..", "`..`");
export const Lt = tok("Lt", "<", "`<`", [CmpOp]);
export const Gt = tok("Gt", ">", "`>`", [CmpOp]);
export const Eq = tok("Eq", "=", "`=`", [AssignOp]);
export const Plus = tok("Plus", "+", "`+`", [AddOp]);
export const Minus = tok("Minus", "-", "`-`", [AddOp, UnaryOp]);
export const Star = tok("Star", "*", "`*`", [MulOp]);
export const Slash = tok("Slash", "/", "`/`", [MulOp]);
export const Percent = tok("Percent", "%", "`%`", [MulOp]);
export const Bang = tok("Bang", "!", "`!`", [UnaryOp]);
export const Tilde = tok("Tilde", "~", "`~`", [UnaryOp]);
export const Amp = tok("Amp", "&", "`&`");
export const Pipe = tok("Pipe", "|", "`|`");
export const Caret = tok("Caret", "^", "`^`");
export const Dot = tok("Dot", ".", "`.`");
export const Comma = tok("Comma", ",", "`,`");
export const Semicolon = tok("Semicolon", ";", "`;`");
export const Colon = tok("Colon", ":", "`:`");
export const LCurly = tok("LCurly", "{", "`{`");
export const RCurly = tok("RCurly", "}", "`}`");
export const LParen = tok("LParen", "(", "`(`");
export const RParen = tok("RParen", ")", "`)`");
export const LBracket = tok("LBracket", "[", "`[`");
export const RBracket = tok("RBracket", "]", "`]`");

export const allTokens: TokenType[] = [
  WhiteSpace,
  LineComment,
  BlockComment,
  UnterminatedComment,
  Ip4Lit,
  MacLit,
  Ip6Lit,
  DecimalLit,
  IntLit,
  StringTok,
  UnterminatedString,
  Nf,
  On,
  Xdp,
  Tc,
  Ingress,
  Egress,
  Const,
  Config,
  Type,
  Header,
  Parse,
  Table,
  Sketch,
  Queue,
  Counter,
  Packet,
  Let,
  Var,
  If,
  Else,
  Match,
  For,
  In,
  Repeat,
  Break,
  Pass,
  Drop,
  Tx,
  Redirect,
  As,
  True,
  False,
  Test,
  Event,
  Emit,
  Underscore,
  Identifier,
  ShlEq,
  ShrEq,
  FatArrow,
  EqEq,
  NotEq,
  LtEq,
  GtEq,
  Shl,
  Shr,
  AndAnd,
  OrOr,
  PlusEq,
  MinusEq,
  StarEq,
  PipeEq,
  AmpEq,
  CaretEq,
  DotDot,
  Lt,
  Gt,
  Eq,
  Plus,
  Minus,
  Star,
  Slash,
  Percent,
  Bang,
  Tilde,
  Amp,
  Pipe,
  Caret,
  Dot,
  Comma,
  Semicolon,
  Colon,
  LCurly,
  RCurly,
  LParen,
  RParen,
  LBracket,
  RBracket,
  AnyTok,
  FieldName,
  AssignOp,
  CmpOp,
  ShiftOp,
  AddOp,
  MulOp,
  UnaryOp,
  StringLit,
];

/** How a token type is named in messages: "`}`", "a name", "an integer". */
export function displayTokenType(t: TokenType): string {
  return display.get(t) ?? (t.name === "EOF" ? "end of file" : t.name);
}
