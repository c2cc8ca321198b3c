// The formatter never changes the program (same AST modulo spans, same comments), is idempotent,
// and puts back exactly the parentheses and `;` the grammar needs. Run over every example, every
// corpus program (valid, and invalid ones that parse) and seeded random programs.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { parse } from "../syntax/index.js";
import { generateProgram } from "../../test/fuzz/gen.js";
import { formatSource } from "./index.js";

const root = new URL("../../", import.meta.url).pathname;
const nfFiles = (dir: string) =>
  readdirSync(join(root, dir))
    .filter((f) => f.endsWith(".nf"))
    .map((f) => join(dir, f));

/** The AST without positions (what "the same program" means). */
function shape(source: string): string {
  const r = parse(source, "x.nf");
  expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return JSON.stringify(r.program, (k, v: unknown) =>
    k === "span" || k === "opSpan" || k === "hookSpan" || k === "nameSpan"
      ? undefined
      : typeof v === "bigint"
        ? `${v}n`
        : v,
  );
}

const comments = (source: string) => parse(source, "x.nf").comments.map((c) => c.text.trimEnd());

async function fmt(source: string): Promise<string> {
  const r = await formatSource(source, "x.nf");
  if ("diagnostics" in r)
    throw new Error(`does not parse: ${r.diagnostics[0]?.code} ${r.diagnostics[0]?.message}`);
  return r.formatted;
}

/** Formats, then checks: same AST, same comments, and formatting the result changes nothing. */
async function roundTrip(source: string): Promise<string> {
  const once = await fmt(source);
  expect(shape(once)).toBe(shape(source));
  expect(comments(once)).toEqual(comments(source));
  expect(await fmt(once)).toBe(once);
  return once;
}

describe("nfc fmt keeps the program", () => {
  const parses = (f: string) =>
    parse(readFileSync(join(root, f), "utf8"), f).diagnostics.every((d) => d.severity !== "error");
  const files = [
    ...nfFiles("examples"),
    ...nfFiles("test/corpus/valid"),
    ...nfFiles("test/corpus/invalid").filter(parses),
  ];

  test.each(files)("%s", async (f) => {
    await roundTrip(readFileSync(join(root, f), "utf8"));
  });

  test("every example and valid corpus program is already formatted (commit them formatted)", async () => {
    const unformatted: string[] = [];
    for (const f of [...nfFiles("examples"), ...nfFiles("test/corpus/valid")]) {
      const src = readFileSync(join(root, f), "utf8");
      if ((await fmt(src)) !== src) unformatted.push(f);
    }
    expect(unformatted).toEqual([]);
  });

  const seeds = Array.from({ length: Number(process.env.NFC_FMT_SEEDS ?? 40) }, (_, i) => i + 1);
  test.each(seeds)("random program of test/fuzz/gen.ts, seed %i", async (seed) => {
    await roundTrip(generateProgram(seed));
  });
});

describe("layout", () => {
  const wrap = (body: string) => `nf t on xdp\non packet {\n${body}\n}\n`;

  test("parentheses: the needed ones are put back, the user's are kept, no others are added", async () => {
    const src = wrap(
      "  let a: u32 = (1 + 2) * 3 - (4 - 5) - 6\n  let b = -(a as u64) + (a as u64)\n  let c = (a + 1) as u16\n  pass",
    );
    expect(await roundTrip(src)).toBe(src);
    // the AST has no parentheses: built without them, precedence alone must put them back
    const bare = wrap("  let x = a * (b + c) - (d - e)\n  let y = (p || q) && !(r == s)\n  pass");
    expect(await roundTrip(bare)).toBe(bare);
  });

  test("a statement that would continue the previous one gets a `;`", async () => {
    const src = wrap("  f(); (g).h(); (a).b = 1; c = 2\n  pass");
    const out = await roundTrip(src);
    expect(out).toContain("  f();\n  (g).h();\n  (a).b = 1\n  c = 2\n");
  });

  test("one-line blocks stay on one line; multi-line ones stay broken; else-if chains", async () => {
    const src = wrap(
      [
        "  let ip = ipv4 else { pass }",
        "  if ip.ttl < 2 { hits += 1; drop } else if ip.ttl < 4 { drop } else {",
        "    pass",
        "  }",
      ].join("\n"),
    );
    expect(await roundTrip(src)).toBe(src);
  });

  test("spacing is normalised; comments stay where they were; one blank line kept", async () => {
    const src = [
      "// lead comment",
      "nf   t on tc",
      "",
      "",
      "table  t:hash<u32,u64>( capacity=16 )   // trailing",
      "counter a ,b",
      "on packet {   /* block */",
      "  t.add(1,2)",
      "",
      "  // own line",
      "  match a { 1,2=>{ pass } _ => { } }",
      "  drop",
      "}",
      "",
    ].join("\n");
    expect(await roundTrip(src)).toBe(
      [
        "// lead comment",
        "nf t on tc ingress",
        "",
        "table t: hash<u32, u64>(capacity = 16) // trailing",
        "counter a, b",
        "on packet { /* block */",
        "  t.add(1, 2)",
        "",
        "  // own line",
        "  match a {",
        "    1, 2 => { pass }",
        "    _ => {}",
        "  }",
        "  drop",
        "}",
        "",
      ].join("\n"),
    );
  });

  test("a comment in an empty block is kept", async () => {
    const src = wrap("  if a { // nothing yet\n  }\n  pass");
    expect(await roundTrip(src)).toContain("if a { // nothing yet\n  }");
  });
});
