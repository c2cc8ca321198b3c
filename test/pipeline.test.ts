// Tiers 3 and 4 for every example and every valid corpus program: the generated C compiles with
// clang -Wall -Werror, and the object passes the host kernel's verifier. A rejection here is a
// compiler bug (the checker accepted the program).
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { compile } from "../compiler/api.js";
import { KernelRunner } from "../compiler/kernel/runner.js";
import { requireKernel } from "../compiler/kernel/testing.js";

const root = join(import.meta.dirname, "..");
const programs = [
  ...readdirSync(join(root, "examples"))
    .filter((f) => f.endsWith(".nf"))
    .map((f) => join("examples", f)),
  ...readdirSync(join(root, "test/corpus/valid"))
    .filter((f) => f.endsWith(".nf"))
    .map((f) => join("test/corpus/valid", f)),
].sort();

const work = mkdtempSync(join(tmpdir(), "nfc-pipeline-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function build(rel: string) {
  const source = readFileSync(join(root, rel), "utf8");
  const r = await compile({ file: basename(rel), source }, { werror: true });
  const errors = r.diagnostics.filter((d) => d.severity === "error");
  return { r, errors };
}

describe("every program compiles with -Wall -Werror", () => {
  test("the corpus is not empty", () => {
    expect(programs.length).toBeGreaterThanOrEqual(11);
  });
  for (const rel of programs) {
    test(rel, async () => {
      const { r, errors } = await build(rel);
      expect(errors.map((d) => `${d.code} ${d.message}`)).toEqual([]);
      expect(r.object?.length ?? 0).toBeGreaterThan(0);
      // Deterministic output: a second compile gives the same C and object bytes.
      const again = await build(rel);
      expect(again.r.c).toBe(r.c);
      expect(Buffer.from(again.r.object!).equals(Buffer.from(r.object!))).toBe(true);
    });
  }
});

describe.runIf(requireKernel())("every program passes the host verifier", () => {
  for (const rel of programs) {
    test(rel, async () => {
      const { r, errors } = await build(rel);
      expect(errors).toEqual([]);
      const path = join(work, basename(rel, ".nf") + ".bpf.o");
      writeFileSync(path, r.object!);
      const runner = KernelRunner.start();
      try {
        await runner.open(path);
        const loaded = await runner.load(basename(rel));
        if (!loaded.ok)
          throw new Error(
            `verifier rejected ${rel}:\n${loaded.verifierLog.split("\n").slice(-25).join("\n")}`,
          );
        expect(loaded.programs).toHaveLength(1);
        expect(loaded.programs[0]!.name).toBe(r.manifest!.programs[0]!.function);
        expect(loaded.programs[0]!.verified_insns).toBeGreaterThan(0);
      } finally {
        await runner.close();
      }
    });
  }
});
