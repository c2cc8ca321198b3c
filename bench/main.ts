// `npm run bench`: the project's benchmarks. Performance claims live here, never in unit tests.
//   npm run bench -- table-load [--entries N]   (nfc table add --file: 1M entries by default, root)
//   npm run bench -- events [--seconds S]       (events/s a loaded NF sustains before drops, root)
//   npm run bench [-- check|kernel|icount] [--rounds N] [--flows N] [--packets N] [--single N] [--seed N] [--cpu N]
// Env (flags win): NFC_BENCH_ROUNDS, NFC_BENCH_FLOWS, NFC_BENCH_PACKETS, NFC_BENCH_SINGLE.
// Defaults are the full method (DESIGN.md section 7): 11 rounds, 100k flows, 100k packets.
// A quick smoke run: `npm run bench -- kernel --rounds 3 --flows 1000 --packets 2000 --single 500`.
// icount: the kmod backend vs pure BPF by exactly repeatable guest instruction counts per call
// (QEMU -icount, runtime-kmod/vm/icount.sh); real time for kmod needs a machine that can load
// modules, where `nfc bench FILE` measures the kmod object as its own row.
import { formatMcBench, runMemcachedBench } from "./memcached.js";
import { execSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { cpus, hostname } from "node:os";
import { join } from "node:path";
import { progress } from "../compiler/cli/progress.js";
import { packageRoot } from "../compiler/toolchain/tools.js";
import { benchCheck, benchCheckCli } from "./check-speed.js";
import { runComparison } from "./compare.js";
import { runTableLoad } from "./table-load.js";
import { formatEventsBench, runEventsBench } from "./events.js";
import { comparisonJson, comparisonSvg, comparisonTable, writeFileMkdir } from "./output.js";

function intOpt(argv: string[], flag: string, env: string, dflt: number): number {
  const i = argv.indexOf(flag);
  const raw = i >= 0 ? argv[i + 1] : process.env[env];
  if (raw === undefined || raw === "") return dflt;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0)
    throw new Error(`bench: ${flag} / ${env} must be a non-negative integer, got ${raw}`);
  return n;
}

function runCheck(argv: string[]): void {
  const rounds = intOpt(argv, "--rounds", "NFC_BENCH_ROUNDS", 11);
  const bar = progress();
  bar.update("[bench] nfc check, in-process rounds");
  const r = benchCheck();
  bar.done();
  const c = benchCheckCli(rounds, (i, n) =>
    bar.update(`[bench] nfc check, whole processes: round ${i}/${n}`),
  );
  bar.done();
  const ms = (x: number): string => `${x.toFixed(0).padStart(5)} ms`;
  const rows: [string, string][] = [
    ["bare `node -e 0`", ms(c.bareMs)],
    ["bare `node -e 0` again (A/A)", `${ms(c.bare2Ms)}  (A/A ratio ${(c.bare2Ms / c.bareMs).toFixed(2)})`],
    [`node ${c.bin} --version`, ms(c.versionMs)],
    [
      `node ${c.bin} check big.nf`,
      `${ms(c.checkMs)}  (min ${c.checkMinMs.toFixed(0)}, max ${c.checkMaxMs.toFixed(0)}; exit ${c.exitCode})`,
    ],
    [
      "in-process checkSource",
      `${ms(r.medianMs)}  (min ${r.minMs.toFixed(1)}, max ${r.maxMs.toFixed(1)}; 21 runs after 3 warm-up)`,
    ],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  console.log(`nfc check, ${r.lines}-line program; medians of ${rounds} interleaved rounds, wall time:`);
  for (const [k, v] of rows) console.log(`  ${k.padEnd(width)}  ${v}`);
  console.log(`  check / bare node: ${c.ratio.toFixed(2)}x (target <= 2x)`);
  console.log(
    `  CPU (user + system, median): bare ${c.bareCpuMs.toFixed(0)} ms, check ${c.checkCpuMs.toFixed(0)} ms` +
      ` (${(c.checkCpuMs / Math.max(c.bareCpuMs, 1)).toFixed(2)}x)`,
  );
}

function machine(): Record<string, string> {
  const kernel = (() => {
    try {
      return execSync("uname -r", { encoding: "utf8" }).trim();
    } catch {
      return "unknown";
    }
  })();
  return {
    date: new Date().toISOString(),
    host: hostname(),
    cpu: `${cpus()[0]?.model ?? "?"} x${cpus().length}`,
    kernel,
    command: process.argv.slice(1).join(" "),
  };
}

async function runKernel(argv: string[]): Promise<void> {
  const bar = progress();
  const out = join(packageRoot(), "build", "bench");
  const opts = {
    rounds: intOpt(argv, "--rounds", "NFC_BENCH_ROUNDS", 11),
    flows: intOpt(argv, "--flows", "NFC_BENCH_FLOWS", 100_000),
    packets: intOpt(argv, "--packets", "NFC_BENCH_PACKETS", 100_000),
    singlePackets: intOpt(argv, "--single", "NFC_BENCH_SINGLE", 100_000),
    seed: intOpt(argv, "--seed", "NFC_BENCH_SEED", 1),
    cpu: intOpt(argv, "--cpu", "NFC_BENCH_CPU", 0),
    workDir: join(out, "work"),
    log: (s: string) => {
      bar.done();
      console.error(`[bench] ${s}`);
    },
    onRound: (r: number, n: number) => bar.update(`[bench] round ${r}/${n}`),
  };
  if (opts.rounds < 11)
    console.error(`[bench] ${opts.rounds} rounds: a smoke run, not the method (>= 11 rounds)`);
  const meta = machine();
  const c = await runComparison(opts).finally(() => bar.done());
  console.log(
    `\ngenerated (nfc) vs hand-written pure eBPF — ${meta.date}, ${meta.cpu}, Linux ${meta.kernel}`,
  );
  console.log(comparisonTable(c));
  writeFileMkdir(join(out, "results.json"), comparisonJson(c, meta));
  writeFileMkdir(join(out, "chart.svg"), comparisonSvg(c));
  console.log(`wrote ${join(out, "results.json")} and ${join(out, "chart.svg")}`);
}

/** Guest instruction counts, kmod vs pure (count-min 4 and 8 rows, 16-signature bucket search). */
function runIcount(): void {
  const root = packageRoot();
  const cmd = "bash runtime-kmod/vm/icount.sh 6.1 6.12";
  if (!existsSync(join(root, "build", "vm", "k6.1")) || !existsSync(join(root, "build", "vm", "k6.12"))) {
    console.log(`icount: the VM tier is not prepared (run ./setup.sh as root); skipped \`${cmd}\``);
    return;
  }
  console.log(`\nkmod vs pure BPF, guest instructions per call (not time), from: ${cmd}`);
  // on a terminal, the VM boots' progress lines (runtime-kmod/vm/run.sh) go straight to it
  const tty = process.stderr.isTTY === true;
  const r = spawnSync("bash", ["runtime-kmod/vm/icount.sh", "6.1", "6.12"], {
    cwd: root,
    encoding: "utf8",
    stdio: ["ignore", "pipe", tty ? "inherit" : "pipe"],
  });
  process.stdout.write(r.stdout);
  if (r.status !== 0)
    throw new Error(
      `icount.sh exited ${r.status}${tty ? "" : `: ${r.stderr.split("\n").slice(-5).join(" ")}`}`,
    );
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const only = argv[0] !== undefined && !argv[0].startsWith("--") ? argv[0] : undefined;
  if (!only || only === "check") runCheck(argv);
  if (!only || only === "kernel") await runKernel(argv);
  if (!only || only === "icount") runIcount();
  if (only === "table-load") await runTableLoad(intOpt(argv, "--entries", "NFC_BENCH_ENTRIES", 1_000_000));
  if (only === "memcached")
    console.log(
      formatMcBench(
        await runMemcachedBench(
          intOpt(argv, "--gets", "NFC_BENCH_GETS", 20_000),
          intOpt(argv, "--keys", "NFC_BENCH_KEYS", 10_000),
        ),
      ),
    );
  if (only === "events")
    console.log(formatEventsBench(await runEventsBench(intOpt(argv, "--seconds", "NFC_BENCH_SECONDS", 1))));
}

main().catch((e: unknown) => {
  console.error(`bench: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
