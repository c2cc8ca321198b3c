// Docs that cannot drift: the tables in CONTEXT.md files that restate the code are checked against
// the code itself, and the runtime ABI is one number. A pass, a stdlib header or an ABI bump that
// is not written down fails here with the difference.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { KMOD_ABI_VERSION } from "../compiler/blocks/kmod/index.js";
import { PASSES } from "../compiler/passes/index.js";
import { BLOCKS } from "../lang/blocks/index.js";

const REPO = join(import.meta.dirname, "..");
const read = (p: string) => readFileSync(join(REPO, p), "utf8");

/** The lines of the markdown section that starts with `heading` (up to the next `## `). */
function section(md: string, heading: string): string[] {
  const lines = md.split("\n");
  const start = lines.findIndex((l) => l.trim() === heading);
  if (start < 0) throw new Error(`no section ${heading}`);
  const end = lines.findIndex((l, i) => i > start && l.startsWith("## "));
  return lines.slice(start + 1, end < 0 ? undefined : end);
}

describe("CONTEXT.md tables match the code", () => {
  test("compiler/CONTEXT.md lists every pass of PASSES, in order", () => {
    const rows = section(read("compiler/CONTEXT.md"), "## Passes (passes/index.ts)")
      .map((l) => /^\|\s*\d+\s*\|\s*`([^`]+)`/.exec(l)?.[1])
      .filter((n): n is string => n !== undefined);
    expect(rows).toEqual(PASSES.map((p) => p.name));
  });

  test("stdlib/CONTEXT.md names every header in stdlib/include/nf", () => {
    const md = read("stdlib/CONTEXT.md");
    const listed = new Set([...md.matchAll(/`nf\/([\w-]+\.h)`/g)].map((m) => m[1]!));
    const files = readdirSync(join(REPO, "stdlib/include/nf")).filter((f) => f.endsWith(".h"));
    expect(files.filter((f) => !listed.has(f))).toEqual([]);
    expect([...listed].filter((f) => !files.includes(f))).toEqual([]);
  });

  test("docs/LANGUAGE.md documents every kind of the registry", () => {
    const md = read("docs/LANGUAGE.md");
    expect(
      BLOCKS.map((b) => b.name).filter((k) => !md.includes(`\`${k}\``) && !md.includes(`\`${k}<`)),
    ).toEqual([]);
  });
});

describe("the runtime ABI is one number", () => {
  const header = read("runtime-kmod/include/nfc_runtime.h");
  const abi = Number(/#define NFC_RT_ABI (\d+)/.exec(header)?.[1]);

  test("the contract header defines it once; the enum, MODULE_VERSION and the compiler use it", () => {
    expect(abi).toBeGreaterThan(0);
    expect(header).toContain("NFC_RT_ABI_VERSION = NFC_RT_ABI,");
    expect(read("runtime-kmod/kmod/main.c")).toContain("MODULE_VERSION(__stringify(NFC_RT_ABI));");
    expect(KMOD_ABI_VERSION).toBe(abi);
  });
});
