// `nfc bench FILE...`: net ns/packet of each program (many-flow and single-flow traces) and its
// static size, by the project's method (compiler/bench/measure.ts). Every program is measured
// against an empty nf program of the same hook in the same rounds; the first file is loaded
// twice as an A/A control. Needs root and build/nfc-runner (a kernel error is NF5xxx, exit 3).
//   nfc bench FILE... [--rounds N] [--flows N] [--packets N] [--single N] [--seed N] [--cpu N]
//                     [--json FILE] [--svg FILE]
// The measuring code is loaded only when `bench` runs (compiler/bench/files.ts), so other
// commands do not pay for it.
import { InvalidArgumentError, Option, type Command } from "commander";
import type { BenchHelpers, BenchIo, BenchOpts } from "../bench/files.js";
import { examples } from "./help.js";

export type { BenchHelpers, BenchIo } from "../bench/files.js";

/** Commander argument parser: a non-negative integer (a bad value is commander's usage error, exit 2). */
function count(v: string): number {
  const n = Number(v);
  if (v.trim() === "" || !Number.isInteger(n) || n < 0)
    throw new InvalidArgumentError("expected a non-negative integer");
  return n;
}

/** Adds the `bench` command; `setCode` receives the exit code. */
export function registerBench(
  program: Command,
  io: BenchIo,
  setCode: (c: number) => void,
  helpers: BenchHelpers,
): void {
  program
    .command("bench")
    .description("measure net ns/packet and static size of programs on the running kernel (root)")
    .argument("<files...>", ".nf programs")
    .addOption(new Option("--rounds <n>", "rounds (the method: >= 11)").argParser(count).default(11))
    .addOption(
      new Option("--flows <n>", "distinct flows in the many-flow trace").argParser(count).default(100000),
    )
    .addOption(
      new Option("--packets <n>", "packets in the many-flow trace (Zipf 1.1)")
        .argParser(count)
        .default(100000),
    )
    .addOption(
      new Option("--single <n>", "packets in the single-flow trace").argParser(count).default(100000),
    )
    .addOption(new Option("--seed <n>", "trace seed").argParser(count).default(1))
    .addOption(new Option("--cpu <n>", "CPU every replay is pinned to").argParser(count).default(0))
    .option("--json <file>", "write all results as JSON")
    .option("--svg <file>", "write a bar chart (SVG)")
    .action(async (files: string[], o: BenchOpts) => {
      const { benchFiles } = await import("../bench/files.js");
      setCode(await benchFiles(files, o, io, helpers));
    })
    .addHelpText(
      "after",
      examples(
        "nfc bench bench/nf/cms_4.nf                        # net ns/packet and static size (root)",
        "nfc bench a.nf b.nf --rounds 5 --packets 20000 --json out/bench.json --svg out/bench.svg",
      ),
    );
}
