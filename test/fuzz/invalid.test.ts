// "Every user error is a coded diagnostic": seeded mutants of valid programs (invalid-gen.ts) go
// through the checker. Each must come back with catalogue codes whose spans lie in the source, at
// the line:col lineCol computes, with a help line — never NF9999, never a throw, never slower than
// TIME_BOUND_MS — and every mutant the checker accepts must compile (clang -Werror) without an
// internal error. CI runs 150 fixed seeds from 5000; NFC_FUZZ_SEEDS=N runs N (and prints a summary),
// NFC_FUZZ_FROM=S starts at seed S (one seed: NFC_FUZZ_FROM=S NFC_FUZZ_SEEDS=1).
import { describe, expect, test } from "vitest";
import { compile } from "../../compiler/api.js";
import type { Diagnostic } from "../../lang/diagnostics/diagnostic.js";
import { checkSource } from "../../lang/index.js";
import { basePrograms, invalidProgram, malformed, tokenize } from "./invalid-gen.js";

const COUNT = Number(process.env.NFC_FUZZ_SEEDS ?? 150);
const FROM = Number(process.env.NFC_FUZZ_FROM ?? 5000);
const SEEDS = Array.from({ length: COUNT }, (_, i) => FROM + i);
const TIME_BOUND_MS = 2000;

describe("random invalid programs", () => {
  const bases = basePrograms();

  test("the tokenizer keeps every character (a mutant is its tokens, joined)", () => {
    for (const b of bases) expect(tokenize(b).join("")).toBe(b);
  });

  test(`${SEEDS.length} mutants: coded diagnostics, no internal error, within ${TIME_BOUND_MS} ms of CPU; accepted ones compile`, async () => {
    const failures: string[] = [];
    const codes = new Map<string, number>();
    let accepted = 0;
    let slowest = 0;
    for (const seed of SEEDS) {
      const { source, mutations } = invalidProgram(seed, bases);
      const what = `seed ${seed} (${mutations.join("; ")})`;
      // CPU time of this process (the machine is shared: wall time measures the neighbours)
      const t0 = process.cpuUsage();
      let ds: Diagnostic[];
      let ok: boolean;
      try {
        const r = checkSource(source, `mut_${seed}.nf`);
        ds = r.diagnostics;
        ok = r.program !== undefined && !ds.some((d) => d.severity === "error");
      } catch (e) {
        failures.push(`${what}: checkSource threw ${(e as Error).message}`);
        continue;
      }
      const cpu = process.cpuUsage(t0);
      const ms = (cpu.user + cpu.system) / 1000;
      slowest = Math.max(slowest, ms);
      if (process.env.NFC_FUZZ_SLOW && ms > 300) console.log(`slow ${Math.round(ms)} ms: ${what}`);
      if (ms > TIME_BOUND_MS) failures.push(`${what}: checkSource took ${Math.round(ms)} ms`);
      for (const d of ds) {
        for (const p of malformed(d, source)) failures.push(`${what}: ${p}`);
        if (d.severity === "error") codes.set(d.code, (codes.get(d.code) ?? 0) + 1);
      }
      if (!ok) continue;
      accepted++;
      const c = await compile({ file: `mut_${seed}.nf`, source }, { werror: true });
      for (const d of c.diagnostics.filter((x) => x.severity === "error"))
        failures.push(`${what}: accepted, then ${d.code} ${d.message.split("\n")[0]}`);
    }
    if (process.env.NFC_FUZZ_SEEDS)
      console.log(
        `invalid-gen: ${SEEDS.length} mutants, ${accepted} accepted (compiled), ${SEEDS.length - accepted} refused; ` +
          `slowest check ${Math.round(slowest)} ms; ${failures.length} failures; codes: ` +
          [...codes]
            .sort((a, b) => b[1] - a[1])
            .map(([c, n]) => `${c}×${n}`)
            .join(" "),
      );
    expect(failures).toEqual([]);
    // the generator must stay mostly invalid, and exercise the syntax and the checker both
    expect(accepted).toBeLessThan(SEEDS.length / 2);
    expect([...codes.keys()].some((c) => c.startsWith("NF1"))).toBe(true);
    expect([...codes.keys()].some((c) => /^NF[234]/.test(c))).toBe(true);
  }, 600_000);
});
