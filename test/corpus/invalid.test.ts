// The invalid corpus: one program per rule the front end enforces. Each file starts with one or
// more lines `// expect NFxxxx at LINE:COL`; the checker must report each code at exactly that
// position, never an internal error, and every error must carry a span and a help line.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { catalogue } from "../../lang/diagnostics/catalogue.js";
import { checkSource } from "../../lang/index.js";

const dir = join(import.meta.dirname, "invalid");
const files = readdirSync(dir)
  .filter((f) => f.endsWith(".nf"))
  .sort();

interface Expect {
  code: string;
  line: number;
  col: number;
}

function expectations(source: string): Expect[] {
  return [...source.matchAll(/^\/\/ expect (NF\d{4}) at (\d+):(\d+)$/gm)].map((m) => ({
    code: m[1]!,
    line: Number(m[2]),
    col: Number(m[3]),
  }));
}

/** Codes no program can trigger through checkSource, with the reason. */
const UNREACHABLE_FROM_SOURCE: Record<string, string> = {
  NF1027:
    "reported by decodeSource on a file's bytes, before there is source text (lang/source-text.test.ts)",
  NF4101:
    "reported by the compiler when a registry kind has no lowering for the chosen runtime; every kind has one",
  NF4200:
    "reported by the build: counts the maps the lowered program declares (compiler/passes/map-limits.test.ts)",
  NF4202: "reported by the build: map memory of the lowered program (compiler/passes/map-limits.test.ts)",
  NF4203: "reported by the build: the verifier model reads the compiled object (test/verifier-model.test.ts)",
  NF4204: "reported by the build: the verifier model reads the compiled object (test/verifier-model.test.ts)",
  NF4205: "reported by the build: the verifier model reads the compiled object (test/verifier-model.test.ts)",
  NF4206:
    "reported by the build when clang refuses the frame: measured on a rebuild (test/resources.test.ts)",
};

describe("invalid corpus", () => {
  test("has at least 60 programs", () => {
    expect(files.length).toBeGreaterThanOrEqual(60);
  });

  for (const f of files) {
    test(f, () => {
      const source = readFileSync(join(dir, f), "utf8");
      const want = expectations(source);
      expect(want.length, "the file names its expected diagnostics").toBeGreaterThan(0);
      const { diagnostics } = checkSource(source, f);
      expect(diagnostics.filter((d) => d.code === "NF9999")).toEqual([]);
      const got = diagnostics.map((d) => ({ code: d.code, line: d.span?.line ?? 0, col: d.span?.col ?? 0 }));
      for (const w of want) expect(got).toContainEqual(w);
      for (const d of diagnostics.filter((d) => d.severity === "error")) {
        // a span inside this file
        expect(d.span?.file, `${d.code} has a span`).toBe(f);
        expect(d.span!.start, `${d.code} span starts in the source`).toBeLessThanOrEqual(source.length);
        expect(d.help ?? "", `${d.code} has a help line`).not.toBe("");
      }
    });
  }

  test("every front-end code (NF1xxx-NF4xxx) is exercised by some program", () => {
    const covered = new Set(
      files.flatMap((f) => expectations(readFileSync(join(dir, f), "utf8")).map((e) => e.code)),
    );
    const frontEnd = Object.keys(catalogue).filter(
      (c) => /^NF[1-4]/.test(c) && !(c in UNREACHABLE_FROM_SOURCE),
    );
    expect(frontEnd.filter((c) => !covered.has(c))).toEqual([]);
  });
});
