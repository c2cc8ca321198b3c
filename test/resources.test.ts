// Kernel limits on real objects: programs at the edge of the resource model build with clang
// -Wall -Werror and load in the host kernel; past the edge they are refused with a code and a span
// (never a clang error or a verifier rejection). docs/LANGUAGE.md "Resource model" lists the limits.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { compile } from "../compiler/api.js";
import { bigProgram, manyMaps } from "./resource-programs.js";
import { KernelRunner, type ProgramInfo } from "../compiler/kernel/runner.js";
import { requireKernel } from "../compiler/kernel/testing.js";

const work = mkdtempSync(join(tmpdir(), "nfc-resources-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Compiles and loads `source`; returns the loaded program's counts, or throws with the reason. */
export async function buildAndLoad(name: string, source: string, testClock = false): Promise<ProgramInfo> {
  const r = await compile({ file: `${name}.nf`, source }, { werror: true, testClock });
  const errors = r.diagnostics.filter((d) => d.severity === "error");
  if (errors.length) throw new Error(errors.map((d) => `${d.code} ${d.message}`).join("\n"));
  const path = join(work, `${name}.bpf.o`);
  writeFileSync(path, r.object!);
  const runner = KernelRunner.start();
  try {
    await runner.open(path);
    const loaded = await runner.load(name);
    if (!loaded.ok)
      throw new Error(`verifier rejected ${name}:\n${loaded.verifierLog.split("\n").slice(-12).join("\n")}`);
    return loaded.programs[0]!;
  } finally {
    await runner.close();
  }
}

describe.runIf(requireKernel())("large handlers build and load", () => {
  for (const lines of [1000, 3000]) {
    test(`bench/check-speed.ts bigProgram(${lines})`, async () => {
      const p = await buildAndLoad(`big${lines}`, bigProgram(lines));
      expect(p.verified_insns).toBeGreaterThan(lines * 10);
    }, 180_000);
  }
});

describe.runIf(requireKernel())("maps per program", () => {
  test("62 tables, .rodata and the test clock: 64 maps, the kernel's limit, load", async () => {
    const p = await buildAndLoad("many62", manyMaps(62), true);
    expect(p.verified_insns).toBeGreaterThan(62);
  }, 120_000);

  test("64 user tables: NF4200 at the 63rd, before clang", async () => {
    const r = await compile({ file: "many64.nf", source: manyMaps(64) }, { werror: true });
    expect(r.diagnostics.map((d) => `${d.code}@${d.span?.line}:${d.span?.col}`)).toEqual(["NF4200@65:7"]);
  });
});

// Programs whose C clang itself refuses for a kernel limit nfc's models (stack budget, verifier
// model) did not see: the build compiles once more with the limit raised (a larger stack, BPF v4's
// long jumps), measures that object and reports the coded limit at a statement (F16, F22).
describe("limits clang finds, as coded errors", () => {
  const regress = (f: string) => readFileSync(join(import.meta.dirname, "fuzz/regress", f), "utf8");
  test("F16: a frame over 512 bytes (fuzz seed 2520): NF4206 at the deepest access's statement", async () => {
    const r = await compile({ file: "seed2520.nf", source: regress("seed2520-stack.nf") }, { werror: true });
    expect(r.diagnostics.map((d) => `${d.code}@${d.span?.line}:${d.span?.col}`)).toEqual(["NF4206@642:7"]);
  }, 600_000);
  test("F22: a jump past 16 bits (invalid-gen seed 5630): NF4205, not clang's backend error", async () => {
    const r = await compile(
      { file: "seed5630.nf", source: regress("invalid5630-jump.nf") },
      { werror: true },
    );
    expect(r.diagnostics.map((d) => `${d.code}@${d.span?.line}:${d.span?.col}`)).toEqual(["NF4205@421:7"]);
  }, 900_000);
});
