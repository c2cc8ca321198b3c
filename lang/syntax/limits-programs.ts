// Programs at, one past and far past each nesting limit (limits.ts), shared by the syntax tests
// (lang/syntax/limits.test.ts) and the clang/kernel tests (test/limits.test.ts). The programs at
// the limit use the constructs whose C nests deepest (u8 arithmetic casts each step).
import { MAX_BRACKET_DEPTH, MAX_ELSE_IF, MAX_EXPR_DEPTH, MAX_MATCH_ARMS } from "./limits.js";

export interface LimitProgram {
  name: string;
  code: string;
  /** line:col of the diagnostic in `over`. */
  where: string;
  at: string;
  over: string;
  huge: string;
}

const HEAD = "nf t on xdp\ncounter c\non packet {\n  let ip = ipv4 else { pass }\n  let x: u8 = ip.ttl\n";
const TAIL = "\n  pass\n}\n";
const prog = (body: string): string => HEAD + body + TAIL;

/** `n` nested `if`s (n braces) around `inner`. */
const ifs = (n: number, inner: string): string => "  " + "if x != 7 { ".repeat(n) + inner + " }".repeat(n);
/** A u8 chain of `k` operators (k + 1 levels), mixing those whose C casts or tests each step. */
const OPS = [" * x", " / x", " % x"]; // one precedence level: a left-deep tree
const u8chain = (k: number): string =>
  "x" + Array.from({ length: k }, (_, i) => OPS[i % OPS.length]).join("");
const parens = (n: number): string => "(".repeat(n) + "x" + ")".repeat(n);

export function nestingPrograms(): LimitProgram[] {
  const B = MAX_BRACKET_DEPTH;
  const E = MAX_EXPR_DEPTH;
  const elseIf = (branches: number): string =>
    "  let p: u32 = pkt_len()\n  if p == 0 { c += 1 }" +
    Array.from({ length: branches - 1 }, (_, i) => `\n  else if p == ${i + 1} { c += 1 }`).join("") +
    " else { drop }";
  const arms = (n: number): string =>
    "  let p: u32 = pkt_len()\n  match p {" +
    Array.from({ length: n - 1 }, (_, i) => `\n    ${i} => { c += 1 }`).join("") +
    "\n    _ => { drop }\n  }";
  return [
    {
      // braces of the handler (1) + nested ifs + parentheses: B brackets in all
      name: "brackets",
      code: "NF1023",
      where: `6:${3 + 12 * (B - 1) + 3}`,
      at: prog(ifs(B - 2, `if ${parens(1)} == 3 { drop }`)),
      over: prog(ifs(B - 1, `if ${parens(1)} == 3 { drop }`)),
      huge: prog(ifs(2000, "drop")),
    },
    {
      name: "parentheses",
      code: "NF1023",
      where: `6:${15 + B - 1}`,
      at: prog(`  let y: u8 = ${parens(B - 1)}\n  if y == 3 { drop }`),
      over: prog(`  let y: u8 = ${parens(B)}\n  if y == 3 { drop }`),
      huge: prog(`  let y: u8 = ${parens(3000)}\n  if y == 3 { drop }`),
    },
    {
      name: "binary chain",
      code: "NF1024",
      where: "6:15",
      at: prog(`  let y: u8 = x${" + x".repeat(E - 1)}\n  if y == 3 { drop }`),
      over: prog(`  let y: u8 = x${" + x".repeat(E)}\n  if y == 3 { drop }`),
      huge: prog(`  let y: u8 = x${" + x".repeat(3000)}\n  if y == 3 { drop }`),
    },
    {
      // mixed operators, inside nested blocks: the C of this nests deepest
      name: "mixed chain in nested blocks",
      code: "NF1024",
      where: `6:${3 + 12 * (B - 2) + 12}`,
      at: prog(ifs(B - 2, `let y: u8 = ${u8chain(E - 1)}\n  if y == 3 { drop }`)),
      over: prog(ifs(B - 2, `let y: u8 = ${u8chain(E)}\n  if y == 3 { drop }`)),
      huge: prog(ifs(B - 2, `let y: u8 = ${u8chain(4000)}\n  if y == 3 { drop }`)),
    },
    {
      name: "unary operators",
      code: "NF1024",
      where: `6:${15 + E}`,
      at: prog(`  let y: u8 = ${"~".repeat(E - 1)}x\n  if y == 3 { drop }`),
      over: prog(`  let y: u8 = ${"~".repeat(E + 1)}x\n  if y == 3 { drop }`),
      huge: prog(`  let y: u8 = ${"-".repeat(2000)}x\n  if y == 3 { drop }`),
    },
    {
      name: "casts",
      code: "NF1024",
      where: "6:15",
      at: prog(`  let y: u8 = x${" as u8".repeat(E - 1)}\n  if y == 3 { drop }`),
      over: prog(`  let y: u8 = x${" as u8".repeat(E)}\n  if y == 3 { drop }`),
      huge: prog(`  let y: u8 = x${" as u8".repeat(3000)}\n  if y == 3 { drop }`),
    },
    {
      name: "else-if chain",
      code: "NF1025",
      where: `${7 + MAX_ELSE_IF}:3`,
      at: prog(elseIf(MAX_ELSE_IF)),
      over: prog(elseIf(MAX_ELSE_IF + 1)),
      huge: prog(elseIf(3000)),
    },
    {
      name: "match arms",
      code: "NF1026",
      where: `${8 + MAX_MATCH_ARMS}:7`,
      at: prog(arms(MAX_MATCH_ARMS)),
      over: prog(arms(MAX_MATCH_ARMS + 1)),
      huge: prog(arms(3000)),
    },
  ];
}
