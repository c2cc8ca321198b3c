// "No program the checker accepts is rejected by the verifier": seeded random programs from
// gen.ts go through the checker; every accepted one is compiled (-Werror) and loaded by the host
// kernel's verifier. The generator aims at valid programs, so the checker must accept nearly all.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { compile } from "../../compiler/api.js";
import { KernelRunner } from "../../compiler/kernel/runner.js";
import { requireKernel } from "../../compiler/kernel/testing.js";
import { checkSource } from "../../lang/index.js";
import { generateProgram } from "./gen.js";

const SEEDS = Array.from({ length: Number(process.env.NFC_FUZZ_SEEDS ?? 100) }, (_, i) => 1000 + i);
const work = mkdtempSync(join(tmpdir(), "nfc-fuzz-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("random valid programs", () => {
  test("the checker accepts what the generator writes (no internal errors)", () => {
    const rejected: string[] = [];
    for (const seed of SEEDS) {
      const src = generateProgram(seed);
      const r = checkSource(src, `fuzz_${seed}.nf`);
      expect(r.diagnostics.filter((d) => d.code === "NF9999")).toEqual([]);
      const errs = r.diagnostics.filter((d) => d.severity === "error");
      if (errs.length) rejected.push(`seed ${seed}: ${errs[0]!.code} ${errs[0]!.message} at ${errs[0]!.span?.line}:${errs[0]!.span?.col}`);
    }
    expect(rejected).toEqual([]);
  });
});

describe.runIf(requireKernel())("random valid programs pass the verifier", () => {
  test(`${SEEDS.length} seeded programs: compile -Werror and load`, async () => {
    const runner = KernelRunner.start();
    const failures: string[] = [];
    let loaded = 0;
    try {
      for (const seed of SEEDS) {
        const src = generateProgram(seed);
        const r = await compile({ file: `fuzz_${seed}.nf`, source: src }, { werror: true });
        const errs = r.diagnostics.filter((d) => d.severity === "error");
        if (errs.length) {
          // Only checker-accepted programs are in scope; compile-stage errors are compiler bugs.
          if (!errs.every((d) => d.code.startsWith("NF1") || d.code.startsWith("NF2") || d.code.startsWith("NF3") || d.code.startsWith("NF4")))
            failures.push(`seed ${seed}: ${errs[0]!.code} ${errs[0]!.message.split("\n")[0]}`);
          continue;
        }
        const path = join(work, `fuzz_${seed}.bpf.o`);
        writeFileSync(path, r.object!);
        await runner.open(path);
        const res = await runner.load(`fuzz_${seed}`);
        if (!res.ok) failures.push(`seed ${seed}: verifier: ${res.verifierLog.split("\n").slice(-6).join(" | ")}`);
        else loaded++;
      }
    } finally {
      await runner.close();
    }
    expect(failures).toEqual([]);
    expect(loaded).toBe(SEEDS.length);
  }, 600_000);
});
