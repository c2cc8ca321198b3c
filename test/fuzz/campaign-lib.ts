// The campaign driver's pure parts (campaign.ts runs them): command-line options, the seeds of a
// shard, resuming from a JSON-lines result file, and the summary (counts per stage and per code).
import { existsSync, readFileSync } from "node:fs";

export type Generator = "valid" | "invalid";

export interface CampaignOptions {
  generator: Generator;
  from: number;
  to: number;
  /** 1-based shard index and shard count: shard i of n takes every n-th seed from `from + i - 1`. */
  shard: number;
  shards: number;
  out: string;
  packets: number;
  /** Generate the KNOWN_OPEN features too (the CI seed set leaves them out). */
  all: boolean;
}

/** One line of the result file. */
export interface SeedLine {
  seed: number;
  stage: string;
  code?: string;
  detail?: string;
  seconds: number;
  timing?: { check: number; compile: number; load: number; packets: number };
}

const USAGE =
  "usage: campaign [--generator valid|invalid] --seeds A-B [--shard I/N] --out FILE.jsonl [--packets N] [--all]";

export function parseArgs(argv: readonly string[]): CampaignOptions {
  const o: CampaignOptions = {
    generator: "valid",
    from: 0,
    to: -1,
    shard: 1,
    shards: 1,
    out: "",
    packets: 200,
    all: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const val = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value; ${USAGE}`);
      return v;
    };
    if (a === "--generator") {
      const g = val();
      if (g !== "valid" && g !== "invalid") throw new Error(`--generator ${g}: valid or invalid`);
      o.generator = g;
    } else if (a === "--seeds") {
      const m = /^(\d+)(?:-(\d+))?$/.exec(val());
      if (!m) throw new Error(`--seeds takes A-B (inclusive); ${USAGE}`);
      o.from = Number(m[1]);
      o.to = Number(m[2] ?? m[1]);
    } else if (a === "--shard") {
      const m = /^(\d+)\/(\d+)$/.exec(val());
      if (!m || Number(m[1]) < 1 || Number(m[1]) > Number(m[2]))
        throw new Error(`--shard takes I/N with 1 <= I <= N`);
      o.shard = Number(m[1]);
      o.shards = Number(m[2]);
    } else if (a === "--out") o.out = val();
    else if (a === "--packets") o.packets = Number(val());
    else if (a === "--all") o.all = true;
    else throw new Error(`unknown option ${a}; ${USAGE}`);
  }
  if (o.to < o.from || !o.out) throw new Error(USAGE);
  return o;
}

/** The seeds of one shard, in order. */
export function shardSeeds(o: Pick<CampaignOptions, "from" | "to" | "shard" | "shards">): number[] {
  const out: number[] = [];
  for (let s = o.from + o.shard - 1; s <= o.to; s += o.shards) out.push(s);
  return out;
}

/** The lines already in a result file (a torn last line from a killed run is ignored). */
export function readLines(file: string): SeedLine[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, "utf8")
    .split("\n")
    .flatMap((l) => {
      if (!l.trim()) return [];
      try {
        return [JSON.parse(l) as SeedLine];
      } catch {
        return [];
      }
    });
}

export interface Summary {
  seeds: number;
  stages: Record<string, number>;
  codes: Record<string, number>;
  /** Seeds that break the promise: not ok, not refused with a code (by the checker or, late, by build). */
  failing: number[];
  /** Accepted by the checker, then refused with a coded limit by `build` (NF4102, NF420x): coded, but late. */
  late: number[];
  meanSeconds: number;
  meanTiming?: { check: number; compile: number; load: number; packets: number };
}

/** Stages that keep the promise: accepted and clean, or refused by the checker (coded). */
const FINE = new Set(["ok", "limit", "refused", "late-limit"]);

export function summarize(lines: readonly SeedLine[]): Summary {
  const bySeed = new Map<number, SeedLine>();
  for (const l of lines) bySeed.set(l.seed, l); // a re-run seed counts once, its last result
  const all = [...bySeed.values()].sort((a, b) => a.seed - b.seed);
  const stages: Record<string, number> = {};
  const codes: Record<string, number> = {};
  for (const l of all) {
    stages[l.stage] = (stages[l.stage] ?? 0) + 1;
    if (l.code) codes[l.code] = (codes[l.code] ?? 0) + 1;
  }
  const timed = all.filter((l) => l.timing);
  const mean = (f: (l: SeedLine) => number, xs: SeedLine[]): number =>
    xs.length ? Math.round((xs.reduce((a, l) => a + f(l), 0) / xs.length) * 1000) / 1000 : 0;
  return {
    seeds: all.length,
    stages,
    codes,
    failing: all.filter((l) => !FINE.has(l.stage)).map((l) => l.seed),
    late: all.filter((l) => l.stage === "late-limit").map((l) => l.seed),
    meanSeconds: mean((l) => l.seconds, all),
    ...(timed.length
      ? {
          meanTiming: {
            check: mean((l) => l.timing!.check, timed),
            compile: mean((l) => l.timing!.compile, timed),
            load: mean((l) => l.timing!.load, timed),
            packets: mean((l) => l.timing!.packets, timed),
          },
        }
      : {}),
  };
}

export function formatSummary(s: Summary): string {
  const kv = (r: Record<string, number>): string =>
    Object.entries(r)
      .sort((a, b) => b[1] - a[1])
      .map(([k, n]) => `${k} ${n}`)
      .join(", ");
  return [
    `seeds ${s.seeds}; mean ${s.meanSeconds} s per seed`,
    `stages: ${kv(s.stages)}`,
    `codes: ${kv(s.codes) || "none"}`,
    s.meanTiming ? `mean seconds (kernel seeds): ${JSON.stringify(s.meanTiming)}` : "",
    `failing seeds (${s.failing.length}): ${s.failing.join(" ") || "none"}`,
    `coded limits only at build (${s.late.length}): ${s.late.join(" ") || "none"}`,
  ]
    .filter(Boolean)
    .join("\n");
}
