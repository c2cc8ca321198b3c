// The soundness oracle (docs: test/fuzz/README.md): random valid programs from test/fuzz/gen.
// Per seed: the checker accepts ⇒ clang -Werror compiles ⇒ the verifier loads ⇒ interpreter and
// kernel agree on a packet stream (state compared). CI runs a fixed seed set; NFC_FUZZ_SEEDS=N
// (from NFC_FUZZ_FROM, default 1) runs more. Features with open findings are off (known-open.ts).
import { appendFileSync, writeFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { requireKernel } from "../../compiler/kernel/testing.js";
import { offFeatures } from "./known-open.js";
import { checkSeed, runSeed, type SeedResult } from "./run.js";

const FROM = Number(process.env.NFC_FUZZ_FROM ?? 1);
const KERNEL_SEEDS = Number(process.env.NFC_FUZZ_SEEDS ?? 8);
const CHECK_SEEDS = Math.max(KERNEL_SEEDS, Number(process.env.NFC_FUZZ_SEEDS ?? 200));
const PACKETS = Number(process.env.NFC_FUZZ_PACKETS ?? 200);
const seeds = (n: number): number[] => Array.from({ length: n }, (_, i) => FROM + i);
const off = offFeatures();
/** NFC_FUZZ_LOG=FILE: one line per seed (stage, seconds, detail) and a summary by stage; failing
 *  programs are written next to it as FILE.<seed>.nf (long runs, see README.md). */
const LOG = process.env.NFC_FUZZ_LOG;

/** A seed that breaks the promise, as one line (stage, code, detail). Limits are in scope. */
const broken = (r: SeedResult): string | undefined =>
  r.stage === "ok" || r.stage === "limit" || (r.stage === "late-limit" && off.has("late-limits"))
    ? undefined
    : `seed ${r.seed}: ${r.stage} ${r.detail.slice(0, 400)}`;

describe("random valid programs: the checker", () => {
  test(
    `${CHECK_SEEDS} seeds: accepted or refused by a coded limit, never NF9999`,
    () => {
      const results = seeds(CHECK_SEEDS).map((s) => checkSeed(s, off));
      if (LOG) {
        const stages: Record<string, number> = {};
        for (const r of results) stages[r.stage] = (stages[r.stage] ?? 0) + 1;
        appendFileSync(LOG, `checker ${CHECK_SEEDS} seeds from ${FROM}: ${JSON.stringify(stages)}\n`);
        for (const r of results)
          if (r.stage !== "ok") appendFileSync(LOG, `seed ${r.seed} ${r.stage} ${r.detail.slice(0, 300)}\n`);
      }
      expect(results.flatMap((r) => broken(r) ?? [])).toEqual([]);
      // limits are rare: the generator stays inside the registry's bounds and the stack budget
      expect(results.filter((r) => r.stage === "limit").length).toBeLessThan(CHECK_SEEDS / 20);
    },
    Math.max(600_000, CHECK_SEEDS * 1500),
  );
});

describe.runIf(requireKernel())("random valid programs: compiled, loaded, interpreter = kernel", () => {
  test(`${KERNEL_SEEDS} seeds, ${PACKETS} packets each`, async () => {
    const failures: string[] = [];
    const stages: Record<string, number> = {};
    for (const s of seeds(KERNEL_SEEDS)) {
      const r = await runSeed(s, off, PACKETS);
      stages[r.stage] = (stages[r.stage] ?? 0) + 1;
      const b = broken(r);
      if (b) failures.push(b);
      if (LOG) {
        appendFileSync(LOG, `seed ${s} ${r.stage} ${r.seconds.toFixed(1)}s ${r.detail.slice(0, 600)}\n`);
        if (r.stage !== "ok") writeFileSync(`${LOG}.${s}.nf`, r.source);
      }
    }
    if (LOG) appendFileSync(LOG, `stages ${JSON.stringify(stages)}\n`);
    expect(failures).toEqual([]);
  }, 3_600_000);
});
