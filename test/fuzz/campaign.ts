// A fuzzing campaign: many seeds of one generator, a JSON-lines result per seed, resumable (seeds
// already in the output are skipped), shardable, and a summary at the end (counts per stage and
// per code). Runs compiled, in one process (no CLI or vitest per seed):
//   npm run build:fuzz
//   nice -n 10 node dist/test/fuzz/campaign.js --seeds 0-4999 --shard 1/2 --out build/fuzz/valid-1.jsonl
//   nice -n 10 node dist/test/fuzz/campaign.js --generator invalid --seeds 0-4999 --out build/fuzz/invalid.jsonl
//   node dist/test/fuzz/campaign.js --summary build/fuzz/valid-*.jsonl      (merge shards, print)
//   node dist/test/fuzz/campaign.js --coverage --seeds 0-4999 --out test/fuzz/COVERAGE.md
// Valid seeds: generate → check → codegen + clang -Werror → verifier → interpreter vs kernel
// (run.ts). Invalid seeds: the checker answers with well-formed coded diagnostics within 2 s of
// CPU, never NF9999; an accepted mutant must compile (clang -Werror).
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { getPriority, setPriority } from "node:os";
import { dirname } from "node:path";
import { pathToFileURL } from "node:url";
import { compile } from "../../compiler/api.js";
import type { Diagnostic } from "../../lang/diagnostics/diagnostic.js";
import { checkSource } from "../../lang/index.js";
import {
  formatSummary,
  parseArgs,
  readLines,
  shardSeeds,
  summarize,
  type CampaignOptions,
  type SeedLine,
} from "./campaign-lib.js";
import { Coverage, generateProgram, renderCoverage, type Feature } from "./gen/index.js";
import { basePrograms, invalidProgram, malformed } from "./invalid-gen.js";
import { KNOWN_OPEN } from "./known-open.js";
import { firstError, runSeed, stageOf } from "./run.js";

const CPU_BOUND_MS = 2000;

/** One invalid-generator seed: refused (coded, well-formed), or accepted and compiled. */
async function invalidSeed(seed: number, bases: readonly string[]): Promise<SeedLine & { source: string }> {
  const t0 = Date.now();
  const { source, mutations } = invalidProgram(seed, bases);
  const c0 = process.cpuUsage();
  let ds: Diagnostic[];
  try {
    ds = checkSource(source, `mut_${seed}.nf`).diagnostics;
  } catch (e) {
    return { seed, stage: "crash", detail: `checkSource threw ${(e as Error).message}`, seconds: 0, source };
  }
  const cpu = process.cpuUsage(c0);
  const ms = (cpu.user + cpu.system) / 1000;
  const seconds = (Date.now() - t0) / 1000;
  const what = mutations.join("; ");
  const bad = ds.flatMap((d) => malformed(d, source));
  const err = firstError(ds);
  if (ds.some((d) => d.code === "NF9999"))
    return { seed, stage: "crash", code: "NF9999", detail: `${what}: ${bad.join("; ")}`, seconds, source };
  if (bad.length) return { seed, stage: "malformed", detail: `${what}: ${bad.join("; ")}`, seconds, source };
  if (ms > CPU_BOUND_MS)
    return { seed, stage: "slow", detail: `${what}: ${Math.round(ms)} ms CPU`, seconds, source };
  if (err) return { seed, stage: "refused", code: err.code, seconds, source };
  const built = await compile({ file: `mut_${seed}.nf`, source }, { werror: true });
  const berr = firstError(built.diagnostics);
  const end = (Date.now() - t0) / 1000;
  if (!berr) return { seed, stage: "ok", detail: what, seconds: end, source };
  const st = stageOf(berr);
  return {
    seed,
    stage: st === "limit" ? "late-limit" : st,
    code: berr.code,
    detail: `${what}: ${berr.message.split("\n")[0]}`,
    seconds: end,
    source,
  };
}

async function validSeed(seed: number, o: CampaignOptions): Promise<SeedLine & { source: string }> {
  const off = new Set<Feature>(o.all ? [] : KNOWN_OPEN.keys());
  const r = await runSeed(seed, off, o.packets);
  const line: SeedLine & { source: string } = {
    seed,
    stage: r.stage,
    seconds: Math.round(r.seconds * 1000) / 1000,
    source: r.source,
  };
  if (r.code) line.code = r.code;
  if (r.detail) line.detail = r.detail.slice(0, 800);
  if (r.timing) line.timing = r.timing;
  return line;
}

export async function runCampaign(o: CampaignOptions, log: (s: string) => void = console.log): Promise<void> {
  mkdirSync(dirname(o.out) || ".", { recursive: true });
  const done = new Set(readLines(o.out).map((l) => l.seed));
  // a run killed mid-write leaves a torn last line: start the next one on a line of its own
  if (existsSync(o.out) && !/(^|\n)$/.test(readFileSync(o.out, "utf8"))) appendFileSync(o.out, "\n");
  const todo = shardSeeds(o).filter((s) => !done.has(s));
  log(`${o.generator}: ${todo.length} seeds to run (${done.size} already in ${o.out})`);
  const bases = o.generator === "invalid" ? basePrograms() : [];
  for (const seed of todo) {
    const { source, ...line } =
      o.generator === "invalid" ? await invalidSeed(seed, bases) : await validSeed(seed, o);
    appendFileSync(o.out, JSON.stringify(line) + "\n");
    if (!["ok", "limit", "refused"].includes(line.stage)) {
      // failing programs (and late limits) beside the results, to reproduce and shrink
      writeFileSync(`${o.out}.${seed}.nf`, source);
      log(`seed ${seed}: ${line.stage} ${line.code ?? ""} ${(line.detail ?? "").slice(0, 200)}`);
    }
  }
  const summary = summarize(readLines(o.out));
  writeFileSync(`${o.out}.summary.json`, JSON.stringify({ options: o, ...summary }, null, 2) + "\n");
  log(formatSummary(summary));
}

/** The coverage table of a seed range (the generator is deterministic: the campaign's programs). */
export function coverageDoc(from: number, to: number, all: boolean): string {
  const cov = new Coverage();
  const off = new Set<Feature>(all ? [] : KNOWN_OPEN.keys());
  for (let s = from; s <= to; s++) cov.merge(generateProgram(s, off).cov);
  const gates = all ? "none" : [...KNOWN_OPEN.keys()].join(", ") || "none";
  const doc = renderCoverage(cov, `Random program coverage, seeds ${from}..${to} (features off: ${gates})`);
  const [title, ...rest] = doc.split("\n");
  const how =
    "Regenerated by `npm run fuzz:coverage` (test/fuzz/campaign.ts --coverage): the programs of the " +
    "campaign's seeds (test/fuzz/CAMPAIGN.md); the generator is deterministic.";
  return [title, "", how, ...rest].join("\n");
}

async function main(argv: string[]): Promise<void> {
  if (argv[0] === "--coverage") {
    const o = parseArgs(argv.slice(1));
    writeFileSync(o.out, coverageDoc(o.from, o.to, o.all));
    return;
  }
  if (argv[0] === "--summary") {
    console.log(formatSummary(summarize(argv.slice(1).flatMap(readLines))));
    return;
  }
  const o = parseArgs(argv);
  // a background job on a shared machine: clang and the runner inherit the priority
  if (getPriority() < 10) setPriority(10);
  await runCampaign(o);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href)
  main(process.argv.slice(2)).catch((e: Error) => {
    console.error(e.message);
    process.exit(2);
  });
