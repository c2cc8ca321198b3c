// The quick scan (lex-quick.ts) against chevrotain's lexer: same tokens (type, text, offsets),
// comments and literal diagnostics on every .nf in the repository, on mutants, on random
// character soup and on the tricky shapes (addresses, keyword prefixes, `_`, strings, comments);
// it gives up exactly where chevrotain reports a character or an unterminated comment.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { rng } from "../rng.js";
import { basePrograms, invalidProgram } from "../../test/fuzz/invalid-gen.js";
import { lex, lexQuickly } from "./lexer.js";

const ROOT = join(import.meta.dirname, "..", "..");

function same(source: string, what: string): boolean {
  const slow = lex(source, "x.nf");
  const quick = lexQuickly(source, "x.nf");
  const gaveUp = slow.diagnostics.some((d) => d.code === "NF1001" || d.code === "NF1002");
  expect(quick === undefined, `${what}: gave up`).toBe(gaveUp);
  if (quick === undefined) return false;
  const view = (ts: typeof slow.tokens) =>
    ts.map((t) => `${t.tokenType.name} ${JSON.stringify(t.image)} ${t.startOffset}-${t.endOffset}`);
  expect(view(quick.tokens), what).toEqual(view(slow.tokens));
  expect(quick.comments, what).toEqual(slow.comments);
  expect(quick.diagnostics, what).toEqual(slow.diagnostics);
  return true;
}

describe("lexQuick: chevrotain's tokens by a hand-written scan", () => {
  it("every .nf in the repository", () => {
    const files = ["examples", "test", "bench", "stdlib"].flatMap((d) =>
      readdirSync(join(ROOT, d), { recursive: true, encoding: "utf8" })
        .filter((f) => f.endsWith(".nf"))
        .map((f) => join(ROOT, d, f)),
    );
    expect(files.length).toBeGreaterThan(100);
    for (const f of files) same(readFileSync(f, "utf8"), f);
  });

  it("tricky shapes", () => {
    const cases = [
      "10.0.0.1 10.0.0.0/8 1.2.3 1.5 1_000.2_5 0..10 3..x 0x1f 12ab 0b102",
      "02:00:00:00:00:01 2001:db8::1 ::1 ::ffff:1.2.3.4 fe80::/10 a::b x:u32 a : b 02:00:00:00:00:01/4",
      "pass passed _ _x __ in int inx nf2 tc tx xdp test tests entry expect",
      '"a" "a\\"b" "unterminated "bad \\q escape" "x\\',
      "// line\n/* block\n */ a /* unterminated",
      "\uFEFFnf x on xdp",
      "<<= >>= => == != <= >= << >> && || += -= *= |= &= ^= .. < > = + - * / % ! ~ & | ^ . , ; : { } ( ) [ ]",
      "a\tb\r\nc\rd \f e",
      "naïve # ' ? @ $ `",
      "99999999999999999999999 256.0.0.1 1.2.3.4/33",
    ];
    for (const c of cases) same(c, JSON.stringify(c));
  });

  it("400 mutants and 400 character soups", () => {
    const bases = basePrograms();
    for (let seed = 1; seed <= 400; seed++) same(invalidProgram(seed, bases).source, `mutant ${seed}`);
    const alphabet = 'abcxyz_019.:/"\\ \n\t*+-=<>!&|^~()[]{},;#@\r\f\u00e9';
    for (let seed = 1; seed <= 400; seed++) {
      const r = rng(seed);
      const n = Math.floor(r() * 80);
      let s = "";
      for (let i = 0; i < n; i++) s += alphabet[Math.floor(r() * alphabet.length)];
      same(s, `soup ${seed}: ${JSON.stringify(s)}`);
    }
  });
});
