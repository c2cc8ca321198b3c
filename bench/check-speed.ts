// Front-end speed: `nfc check` (parse + resolve + check) on a generated 1,000-line program.
// A benchmark, not a test: it prints medians and never fails on time.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { checkSource } from "../lang/index.js";
import { packageRoot } from "../compiler/toolchain/tools.js";

/** A valid program of about `lines` lines: tables, consts, and a long handler of rule checks. */
export function bigProgram(lines: number): string {
  const out: string[] = ["// generated for the front-end speed benchmark", "nf big on xdp", ""];
  const tables = 40;
  for (let i = 0; i < tables; i++) out.push(`table t${i}: hash<u32, u64>(capacity = 1024)`);
  for (let i = 0; i < 20; i++) out.push(`const K${i}: u32 = ${i * 7 + 1}`);
  out.push("counter hits, misses", "", "on packet {", "  let ip = ipv4 else { pass }", "  var acc: u32 = 0");
  let i = 0;
  while (out.length < lines - 3) {
    const t = `t${i % tables}`;
    out.push(
      `  if ${t}.contains(acc + K${i % 20}) {`,
      `    acc = acc * 31 + (ip.ttl as u32) + ${i}`,
      `    ${t}.add(acc & 1023, 1)`,
      `    hits += 1`,
      `  } else if acc % ${(i % 13) + 2} == ${i % 2} {`,
      `    misses += 1`,
      `  }`,
    );
    i++;
  }
  out.push("  pass", "}");
  return out.join("\n") + "\n";
}

export function benchCheck(rounds = 21): { lines: number; medianMs: number; minMs: number; maxMs: number } {
  const src = bigProgram(1000);
  const first = checkSource(src, "big.nf");
  if (first.diagnostics.some((d) => d.severity === "error")) {
    throw new Error(
      `benchmark program does not check: ${first.diagnostics[0]?.code} ${first.diagnostics[0]?.message}`,
    );
  }
  for (let w = 0; w < 3; w++) checkSource(src, "big.nf");
  const times: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    checkSource(src, "big.nf");
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return {
    lines: src.split("\n").length - 1,
    medianMs: times[Math.floor(times.length / 2)]!,
    minMs: times[0]!,
    maxMs: times[times.length - 1]!,
  };
}

export interface CliTiming {
  /** The command measured: `node <bin>` with the package's bin (package.json), not npx. */
  bin: string;
  /** Medians (ms) of wall time over the same interleaved rounds. */
  bareMs: number;
  /** A second bare `node -e 0` in every round: the A/A control (bareMs / bare2Ms should be ~1). */
  bare2Ms: number;
  versionMs: number;
  checkMs: number;
  checkMinMs: number;
  checkMaxMs: number;
  /** checkMs / bareMs: the target is <= 2 (issue 11). */
  ratio: number;
  /** Medians (ms) of CPU time (user + system) of the bare node and check processes, in 10 ms
   *  ticks: less distorted by other load than wall time. */
  bareCpuMs: number;
  checkCpuMs: number;
  exitCode: number;
}

/** Wall time of whole processes through the package's bin, in rounds that interleave a bare
 *  `node -e 0`, `nfc --version`, `nfc check -q big.nf` and a second bare node (the A/A control),
 *  so that machine load hits all of them alike. */
export function benchCheckCli(rounds = 11, onRound?: (r: number, n: number) => void): CliTiming {
  const dir = mkdtempSync(join(tmpdir(), "nfc-bench-"));
  const file = join(dir, "big.nf");
  writeFileSync(file, bigProgram(1000));
  const root = packageRoot();
  const bin = (JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { bin: { nfc: string } }).bin
    .nfc;
  const cli = join(root, bin);
  const t = { bare: [] as number[], bare2: [] as number[], version: [] as number[], check: [] as number[] };
  const cpu = { bare: [] as number[], check: [] as number[] };
  let exitCode = 0;
  const wall = (args: string[]): { ms: number; cpuMs: number; status: number } => {
    const c0 = childrenCpuMs();
    const t0 = performance.now();
    const p = spawnSync(process.execPath, args, { encoding: "utf8", cwd: dir });
    const ms = performance.now() - t0;
    return { ms, cpuMs: childrenCpuMs() - c0, status: p.status ?? -1 };
  };
  try {
    for (let r = 0; r < rounds; r++) {
      const b = wall(["-e", "0"]);
      t.bare.push(b.ms);
      cpu.bare.push(b.cpuMs);
      t.version.push(wall([cli, "--version"]).ms);
      const c = wall([cli, "check", "-q", file]);
      t.check.push(c.ms);
      cpu.check.push(c.cpuMs);
      exitCode = Math.max(exitCode, c.status);
      t.bare2.push(wall(["-e", "0"]).ms);
      onRound?.(r + 1, rounds);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const checkMs = median(t.check);
  const bareMs = median(t.bare);
  return {
    bin,
    bareMs,
    bare2Ms: median(t.bare2),
    versionMs: median(t.version),
    checkMs,
    checkMinMs: Math.min(...t.check),
    checkMaxMs: Math.max(...t.check),
    ratio: checkMs / bareMs,
    bareCpuMs: median(cpu.bare),
    checkCpuMs: median(cpu.check),
    exitCode,
  };
}

/** CPU time (user + system, ms) of this process's waited-for children: /proc/self/stat fields 16
 *  and 17 (cutime, cstime), in clock ticks of 10 ms. */
function childrenCpuMs(): number {
  const stat = readFileSync("/proc/self/stat", "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" "); // fields from 3 (state) on
  return (Number(fields[13]) + Number(fields[14])) * 10;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}
