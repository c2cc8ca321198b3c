// Every structure parameter at its minimum and its maximum (gen.ts, from the registry), shared and
// per CPU: the checker accepts it, clang compiles it with -Werror, the verifier loads it, and the
// interpreter and the kernel agree on a packet stream (verdicts, bytes and the full state). A
// maximum is the largest value the limits (NF4005, NF4102, NF4103, NF4120) accept at a u32 key and
// a u64 value. The differential compares whole states, which for structures above DIFF_BYTES takes
// minutes per dump: those are compiled and loaded only (their semantics are the same code at
// another size, compared at the minimum).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { compile } from "../../compiler/api.js";
import { runDifferential } from "../../compiler/difftest/engine.js";
import { KernelRunner } from "../../compiler/kernel/runner.js";
import { requireKernel } from "../../compiler/kernel/testing.js";
import { checkSource } from "../../lang/index.js";
import { boundCases } from "./gen.js";

const CASES = boundCases();
const DIFF_BYTES = 1 << 20;
const work = mkdtempSync(join(tmpdir(), "nfc-bounds-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("structure parameters at their bounds", () => {
  test("the checker accepts every kind's minimum and maximum", () => {
    const refused = CASES.flatMap((c) =>
      checkSource(c.source, `${c.name}.nf`)
        .diagnostics.filter((d) => d.severity === "error")
        .map((d) => `${c.name}: ${d.code} ${d.message}`),
    );
    expect(refused).toEqual([]);
    expect(new Set(CASES.map((c) => c.kind)).size).toBeGreaterThanOrEqual(15);
  });

  test("a capacity from (capacity, fp) below the smallest filter gives the smallest filter, not an error on `bits`", () => {
    const src = "nf b on xdp\nsketch s: bloom<u32>(capacity = 1, fp = 0.5)\non packet { pass }\n";
    const r = checkSource(src, "b.nf");
    expect(r.diagnostics).toEqual([]);
    expect(r.program!.states[0]!.params.bits).toBe(8);
  });
});

describe.runIf(requireKernel())("structure parameters at their bounds: build, load, agree", () => {
  for (const c of CASES)
    test(`${c.kind} ${c.param} = ${c.value} (${c.end}${c.perCpu ? ", per_cpu" : ""}, ${c.bytes} bytes)`, async () => {
      if (c.bytes <= DIFF_BYTES) {
        const r = await runDifferential(`${c.name}.nf`, c.source, { packets: 400, stateEvery: 200, seed: 3 });
        expect(
          r.diagnostics
            .filter((d) => d.severity === "error")
            .map((d) => `${d.code} ${d.message.slice(0, 400)}`),
        ).toEqual([]);
        expect(r.details.map((d) => d.detail)).toEqual([]);
        expect(r.differences).toBe(0);
        expect(r.packets).toBe(400);
        return;
      }
      const built = await compile({ file: `${c.name}.nf`, source: c.source }, { werror: true });
      expect(
        built.diagnostics
          .filter((d) => d.severity === "error")
          .map((d) => `${d.code} ${d.message.slice(0, 400)}`),
      ).toEqual([]);
      const path = join(work, `${c.name}.bpf.o`);
      writeFileSync(path, built.object!);
      const runner = KernelRunner.start();
      try {
        await runner.open(path);
        const loaded = await runner.load(c.name);
        expect(loaded.ok ? "loaded" : loaded.verifierLog.split("\n").slice(-8).join("\n")).toBe("loaded");
      } finally {
        await runner.close();
      }
    }, 240_000);
});
