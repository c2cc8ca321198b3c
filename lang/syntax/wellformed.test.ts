// The fast path (wellformed.ts) against the recovering parser: for every program in the repository,
// generated valid programs and seeded mutants of both, `parse` (fast path first) and
// `parseRecovering` (chevrotain + CST visitor only) give the same program, diagnostics and
// comments — same nodes, spans and key order. And the fast path is really taken: it accepts every
// program that the recovering path parses without a diagnostic.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { basePrograms, invalidProgram } from "../../test/fuzz/invalid-gen.js";
import { generateProgram } from "../../test/fuzz/gen.js";
import { parse, parseRecovering } from "./index.js";
import { lex } from "./lexer.js";
import { scanTokens } from "./limits.js";
import { sharedParser } from "./parser.js";
import { AstBuilder } from "./to-ast.js";
import { parseWellFormed } from "./wellformed.js";

const ROOT = join(import.meta.dirname, "..", "..");

function nfFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith(".nf"))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

/** JSON with bigints and `undefined` made visible, so key order and absent-vs-undefined count. */
function text(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) =>
    typeof x === "bigint" ? `${x}n` : x === undefined ? "<undefined>" : x,
  );
}

/** Compares the two paths on `source`; returns whether the fast path built the program itself. */
function same(source: string, file: string): boolean {
  const a = parse(source, file);
  const b = parseRecovering(source, file);
  expect(text(a), file).toBe(text(b));
  const { tokens, diagnostics, spans } = lex(source, file);
  const clean = diagnostics.length === 0 && scanTokens(tokens, spans).length === 0;
  const direct = clean ? parseWellFormed(tokens, spans) : undefined;
  if (b.program !== undefined && b.diagnostics.length === 0)
    expect(direct, `${file}: well-formed, yet the fast path gave up`).toBeDefined();
  return direct !== undefined;
}

describe("wellformed: the fast path builds the recovering parser's AST", () => {
  it("every .nf in the repository (examples, corpus, benchmarks, stdlib tests)", () => {
    const files = ["examples", "test", "bench", "stdlib", "runtime-kmod"].flatMap(nfFiles);
    expect(files.length).toBeGreaterThan(100);
    let direct = 0;
    for (const f of files) if (same(readFileSync(f, "utf8"), f)) direct++;
    expect(direct).toBeGreaterThan(60); // the valid ones; the invalid corpus takes the other path
  });

  it("100 generated valid programs", () => {
    for (let seed = 1; seed <= 100; seed++)
      expect(same(generateProgram(seed), `gen${seed}.nf`), `seed ${seed}`).toBe(true);
  });

  it("400 mutants (deleted, duplicated, swapped, replaced tokens): accepted only when the parser accepts", () => {
    const bases = basePrograms();
    let direct = 0;
    for (let seed = 1; seed <= 400; seed++)
      if (same(invalidProgram(seed, bases).source, `m${seed}.nf`)) direct++;
    // mutations that keep the syntax (names, literals) keep the fast path: both kinds are exercised
    expect(direct).toBeGreaterThan(40);
    expect(direct).toBeLessThan(380);
  }, 180_000);

  it("events: declarations, emit (with and without the contextual `every`), expect event", () => {
    const ev = `nf t on xdp\nevent e { a: u32, b: ip4 }\nconst N: u32 = 4\n`;
    const cases = [
      `${ev}on packet { emit e { a = 1, b = 10.0.0.1 }; pass }`,
      `${ev}on packet { emit e { a = 1 b = 10.0.0.1, } every 16\n pass }`,
      `${ev}on packet { emit e { a = 1, b = 10.0.0.1 } every N\n pass }`,
      `${ev}on packet { var every: u32 = 0\n emit e { a = 1, b = 10.0.0.1 }\n every = 3\n pass }`,
      `${ev}on packet { emit e { a = 1, b = 10.0.0.1 }\n every.x = 3\n pass }`,
      `${ev}on packet { emit e {} every 2 pass }`,
      `${ev}on packet { pass }\ntest "t" { packet udp()\n expect event e { a = 1 }\n expect event e {} }`,
    ];
    for (const [i, src] of cases.entries()) same(src, `ev${i}.nf`);
    expect(cases.filter((src, i) => same(src, `ev${i}.nf`)).length).toBeGreaterThanOrEqual(6);
  });

  it("the CST visitor has a method for every grammar rule", () => {
    const rules = Object.keys(sharedParser().getGAstProductions());
    expect(rules.length).toBeGreaterThan(30);
    const missing = rules.filter(
      (r) => typeof (AstBuilder.prototype as unknown as Record<string, unknown>)[r] !== "function",
    );
    expect(missing).toEqual([]);
  });
});
