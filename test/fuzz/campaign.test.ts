// The campaign driver (campaign.ts): options, shards that partition the seeds, resuming from the
// result file, and the summary's counts per stage and per code.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { parseArgs, readLines, shardSeeds, summarize, type SeedLine } from "./campaign-lib.js";
import { runCampaign } from "./campaign.js";

describe("campaign driver", () => {
  test("options: seeds, shard, generator, packets; errors name the option", () => {
    const o = parseArgs(["--seeds", "0-4999", "--shard", "2/3", "--out", "x.jsonl", "--packets", "50"]);
    expect(o).toMatchObject({ generator: "valid", from: 0, to: 4999, shard: 2, shards: 3, packets: 50 });
    expect(parseArgs(["--generator", "invalid", "--seeds", "7", "--out", "y"])).toMatchObject({
      generator: "invalid",
      from: 7,
      to: 7,
    });
    expect(() => parseArgs(["--seeds", "9-3", "--out", "x"])).toThrow(/usage/);
    expect(() => parseArgs(["--seeds", "1-3"])).toThrow(/usage/);
    expect(() => parseArgs(["--seeds", "1-3", "--out", "x", "--shard", "4/3"])).toThrow(/--shard/);
    expect(() => parseArgs(["--frobnicate"])).toThrow(/unknown option --frobnicate/);
  });

  test("the shards of a range partition it", () => {
    const all = [1, 2, 3].flatMap((shard) => shardSeeds({ from: 10, to: 109, shard, shards: 3 }));
    expect(all.sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => 10 + i));
    expect(shardSeeds({ from: 10, to: 20, shard: 2, shards: 3 })).toEqual([11, 14, 17, 20]);
  });

  test("summary: a seed counts once (its last line), failing seeds exclude coded refusals", () => {
    const lines: SeedLine[] = [
      { seed: 1, stage: "clang", code: "NF5004", seconds: 2 },
      { seed: 1, stage: "ok", seconds: 1 },
      { seed: 2, stage: "limit", code: "NF4100", seconds: 1 },
      { seed: 3, stage: "diff", seconds: 1 },
      { seed: 4, stage: "refused", code: "NF1013", seconds: 1 },
      { seed: 5, stage: "late-limit", code: "NF4102", seconds: 1 },
    ];
    const s = summarize(lines);
    expect(s.seeds).toBe(5);
    expect(s.stages).toEqual({ ok: 1, limit: 1, diff: 1, refused: 1, "late-limit": 1 });
    expect(s.codes).toEqual({ NF4100: 1, NF1013: 1, NF4102: 1 });
    expect(s.failing).toEqual([3]);
    expect(s.late).toEqual([5]);
  });

  test("a torn last line (killed run) is ignored; a run resumes after the seeds it has", async () => {
    const dir = mkdtempSync(join(tmpdir(), "nfc-campaign-"));
    try {
      const out = join(dir, "inv.jsonl");
      writeFileSync(
        out,
        JSON.stringify({ seed: 5000, stage: "refused", code: "NF1013", seconds: 0 }) + '\n{"seed":50',
      );
      expect(readLines(out).map((l) => l.seed)).toEqual([5000]);
      const logged: string[] = [];
      const o = parseArgs(["--generator", "invalid", "--seeds", "5000-5003", "--out", out]);
      await runCampaign(o, (s) => logged.push(s));
      expect(logged[0]).toMatch(/3 seeds to run \(1 already in/);
      const seeds = readLines(out).map((l) => l.seed);
      expect(seeds).toEqual([5000, 5001, 5002, 5003]);
      // resumed: nothing left to run, the summary is written next to the results
      await runCampaign(o, (s) => logged.push(s));
      expect(logged.some((l) => /0 seeds to run \(4 already in/.test(l))).toBe(true);
      const summary = JSON.parse(readFileSync(`${out}.summary.json`, "utf8"));
      expect(summary.seeds).toBe(4);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
