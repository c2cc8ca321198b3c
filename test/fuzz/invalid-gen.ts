// A seeded generator of INVALID (or at least suspicious) nf programs: it mutates valid programs —
// examples/, test/corpus/valid and the valid generator's output (gen.ts) — by token deletion,
// duplication and swaps, truncation at a token, random bytes, deep nesting, huge literals, wrong
// types, unknown names, misplaced declarations and runaway tests. Its property (invalid.test.ts):
// the front end answers every one with coded diagnostics — never NF9999, never a throw, never
// slowly — and whatever it accepts compiles.
import { readdirSync, readFileSync } from "node:fs";
import { packageRoot } from "../../compiler/toolchain/tools.js";
import { join } from "node:path";
import { catalogue } from "../../lang/diagnostics/catalogue.js";
import type { Diagnostic } from "../../lang/diagnostics/diagnostic.js";
import { rng } from "../../lang/rng.js";
import { lineCol } from "../../lang/span.js";
import { generateProgram } from "./gen.js";

/** The repository root (also when the campaign runs compiled, from dist/test/fuzz). */
const ROOT = packageRoot();

/** The valid programs mutations start from (examples and the valid corpus, read once). */
export function basePrograms(): string[] {
  const dirs = [join(ROOT, "examples"), join(ROOT, "test", "corpus", "valid")];
  return dirs.flatMap((d) =>
    readdirSync(d)
      .filter((f) => f.endsWith(".nf"))
      .sort()
      .map((f) => readFileSync(join(d, f), "utf8")),
  );
}

/** Words, numbers/addresses, strings, comments, multi-character operators, single characters,
 *  and the whitespace between them (kept, so a program is the concatenation of its tokens). */
const TOKEN =
  /\s+|\/\/[^\r\n]*|\/\*[\s\S]*?\*\/|"(?:[^"\\\r\n]|\\.)*"|[A-Za-z_][A-Za-z0-9_]*|[0-9][0-9A-Za-z_.:/]*|<<=|>>=|=>|==|!=|<=|>=|<<|>>|&&|\|\||\.\.|[-+*|&^]=|[\s\S]/g;

export function tokenize(src: string): string[] {
  return src.match(TOKEN) ?? [];
}

const KEYWORDS = [
  "nf",
  "on",
  "xdp",
  "tc",
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
  "_",
];
const PUNCT = [
  "{",
  "}",
  "(",
  ")",
  "[",
  "]",
  "<",
  ">",
  ",",
  ":",
  ";",
  ".",
  "..",
  "=",
  "==",
  "=>",
  "+",
  "-",
  "!",
  "~",
  "/",
  "&&",
];
const WRONG_VALUES = [
  "true",
  "10.0.0.1",
  "2001:db8::1",
  "02:00:00:00:00:01",
  '"s"',
  "10.0.0.0/8",
  "0.5",
  "flow5()",
  "eth",
  "ipv4",
  "udp.dport",
  "now_ns()",
  "pkt_len()",
  "hash(1)",
  "T { a: 1 }",
  "counters",
];
const HUGE = [
  "18446744073709551615",
  "18446744073709551616",
  "99999999999999999999999999999999",
  "0xffffffffffffffffff",
  "0b" + "1".repeat(70),
  "4294967296",
  "65536",
  "256",
  "0",
  "1_000_000_000_000",
  "0x",
  "1e9",
  "00000000000000000001",
];
const BYTES = [
  "\0",
  "\r",
  "\uFEFF",
  "\uFFFD",
  "é",
  "#",
  "'",
  "?",
  "`",
  "\\",
  "@",
  "$",
  "\u00a0",
  "\u202e",
  "\t",
  "\n\r\n",
];
const MISPLACED = [
  "table extra: hash<u32, u32>(capacity = 4)",
  "counter extra",
  "on packet { pass }",
  "nf again on xdp",
  "const K: u32 = 1",
  "type T { a: u32 }",
  "header H { a: u8 }",
  "parse udp.dport == 1 => H",
  'test "t" { packet udp() => pass }',
  "let z = 1",
  "pass",
  "break",
  "redirect(1)",
  "sketch s: count_min<u32>(rows = 0, width = 1)",
  "table big: array<u32, bytes[65535]>(capacity = 4294967295)",
];

const KINDS = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 9, 9, 10, 10, 10, 10, 11, 11, 11, 11, 12, 12, 13, 14, 14, 15];

export interface Mutant {
  source: string;
  /** What was done, for the failure report. */
  mutations: string[];
}

/** Mutant number `seed`: a base program and one to three mutations. */
export function invalidProgram(seed: number, bases: readonly string[]): Mutant {
  const r = rng(seed * 7919 + 17);
  const int = (lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const base = r() < 0.3 ? generateProgram(int(1, 1_000_000)) : pick(bases);
  let toks = tokenize(base);
  const mutations: string[] = [];
  /** Indices of non-whitespace tokens. */
  const solid = (): number[] => toks.flatMap((t, i) => (/^\s+$/.test(t) ? [] : [i]));
  const at = (): number => pick(solid().length > 0 ? solid() : [0]);
  const n = r() < 0.6 ? 1 : int(2, 3);
  for (let m = 0; m < n; m++) {
    const i = at();
    // mutations that keep the syntax (literals, names, values, declarations) weigh more, so the
    // checker's rules are reached as often as the parser's recovery
    const kind = pick(KINDS);
    switch (kind) {
      case 0:
        mutations.push(`delete token ${i} \`${toks[i]}\``);
        toks.splice(i, 1);
        break;
      case 1:
        mutations.push(`duplicate token ${i} \`${toks[i]}\``);
        toks.splice(i, 0, toks[i]!, " ");
        break;
      case 2: {
        const s = solid();
        const k = s.indexOf(i);
        const j = s[k + 1] ?? i;
        mutations.push(`swap tokens ${i} and ${j}`);
        [toks[i], toks[j]] = [toks[j]!, toks[i]!];
        break;
      }
      case 3:
        mutations.push(`truncate before token ${i}`);
        toks = toks.slice(0, i);
        break;
      case 4: {
        const b = Array.from({ length: int(1, 4) }, () =>
          r() < 0.5 ? pick(BYTES) : String.fromCharCode(int(0, 0x2ff)),
        ).join("");
        mutations.push(`insert bytes ${JSON.stringify(b)} at ${i}`);
        toks.splice(i, 0, b);
        break;
      }
      case 5: {
        const depth = pick([10, 31, 32, 33, 64, 100, 500, 3000]);
        mutations.push(`wrap token ${i} in ${depth} parentheses`);
        toks[i] = "(".repeat(depth) + toks[i] + ")".repeat(depth);
        break;
      }
      case 6: {
        const len = pick([8, 63, 64, 65, 200, 3000]);
        const op = pick([" + 1", " * x", " && true", " - -1", " as u32", ".a", "[0]", " / 0", " << 70"]);
        mutations.push(`append \`${op}\` x${len} after token ${i}`);
        toks[i] = toks[i] + op.repeat(len);
        break;
      }
      case 7: {
        const len = pick([10, 64, 65, 2000]);
        const op = pick(["!", "-", "~", "- "]);
        mutations.push(`prefix ${len} \`${op}\` to token ${i}`);
        toks[i] = op.repeat(len) + toks[i];
        break;
      }
      case 8: {
        const depth = pick([5, 30, 31, 40, 500]);
        const open = pick([
          "if true { ",
          "repeat 2 { ",
          "for i in 0..2 { ",
          "{ ",
          "match 1 { _ => { ",
          "let e = eth else { drop } if true { ",
        ]);
        const close = open.startsWith("match") ? " } }" : " }";
        mutations.push(`nest ${depth} \`${open.trim()}\` at token ${i}`);
        toks[i] = open.repeat(depth) + toks[i] + close.repeat(depth);
        break;
      }
      case 9: {
        const lits = solid().filter((k) => /^[0-9]/.test(toks[k]!));
        const k = lits.length > 0 ? pick(lits) : i;
        const v = pick(HUGE);
        mutations.push(`literal ${k} \`${toks[k]}\` -> ${v}`);
        toks[k] = v;
        break;
      }
      case 10: {
        const v = pick(WRONG_VALUES);
        mutations.push(`token ${i} \`${toks[i]}\` -> ${v}`);
        toks[i] = v;
        break;
      }
      case 11: {
        const names = solid().filter((k) => /^[A-Za-z_]/.test(toks[k]!) && !KEYWORDS.includes(toks[k]!));
        const k = names.length > 0 ? pick(names) : i;
        const v = pick([
          "nope",
          "x".repeat(int(1, 400)),
          "int",
          "NULL",
          "ctx",
          "__u32",
          "XDP_PASS",
          "cnt",
          "h",
          toks[k] + "_",
        ]);
        mutations.push(
          `name ${k} \`${toks[k]}\` -> ${v.length > 40 ? `${v.slice(0, 10)}…(${v.length})` : v}`,
        );
        toks[k] = v;
        break;
      }
      case 12: {
        const v = pick(MISPLACED);
        mutations.push(`insert \`${v}\` at token ${i}`);
        toks.splice(i, 0, `\n${v}\n`);
        break;
      }
      case 13: {
        const v = pick([...KEYWORDS, ...PUNCT]);
        mutations.push(`token ${i} \`${toks[i]}\` -> \`${v}\``);
        toks[i] = v;
        break;
      }
      case 14: {
        const v = pick([
          'test "t" { repeat 100000 { repeat 100000 { packet udp() } } }',
          'test "t" { repeat 18446744073709551615 { packet udp() } }',
          'test "t" { packet payload(len = 65535) => pass }',
          'test "t" { packet udp(dport = 70000) / payload(len = 100000) }',
          'test "t" { packet ipv4() / ipv4() / udp() => drop }',
          `type T0 { a: ${Array.from({ length: int(30, 40) }, (_, q) => `T${q + 1} }\ntype T${q + 1} { a: `).join("")}u32 }`,
          `const K: u32 = ${"K + ".repeat(int(1, 50))}1`,
          `match 1 { ${Array.from({ length: pick([511, 512, 513, 2000]) }, (_, q) => `${q} => { }`).join(" ")} _ => { } }`,
        ]);
        mutations.push(`append \`${v.slice(0, 50)}\``);
        toks.push(`\n${v}\n`);
        break;
      }
      default: {
        // a random byte string replaces a token outright
        const b = Array.from({ length: int(1, 8) }, () => String.fromCharCode(int(0, 255))).join("");
        mutations.push(`token ${i} -> bytes ${JSON.stringify(b)}`);
        toks[i] = b;
        break;
      }
    }
  }
  return { source: toks.join(""), mutations };
}

/** Problems with one diagnostic (empty when it is well-formed). */
export function malformed(d: Diagnostic, source: string): string[] {
  const out: string[] = [];
  if (d.code === "NF9999") out.push(`internal error: ${d.message}`);
  if (!(d.code in catalogue)) out.push(`${d.code} is not in the catalogue`);
  if (d.severity !== "error") return out;
  if (!d.span) return [...out, `${d.code} has no span`];
  const { start, end, line, col } = d.span;
  if (!(start >= 0 && start <= end && end <= source.length))
    out.push(`${d.code} span ${start}..${end} outside the source`);
  const lc = lineCol(source, start);
  if (lc.line !== line || lc.col !== col)
    out.push(`${d.code} at ${line}:${col}, its offset is ${lc.line}:${lc.col}`);
  if (!d.help) out.push(`${d.code} has no help line`);
  return out;
}
