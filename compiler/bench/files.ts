// `nfc bench` body (registered by compiler/cli/bench.ts): compiles the files (runtime auto), adds
// an empty nf program per hook and an A/A second load of the first file, measures (measure.ts),
// prints the table and writes --json / --svg. A program's kmod object is measured as a row of its
// own when the running kernel has nfc_runtime with the ABI it needs (compiler/loader/probe.ts);
// otherwise the output says why it was not (on this project's CI host: no modules). Returns the exit code (0, 1 program errors, 2 unreadable file, 3 kernel/toolchain).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { Hook } from "../../lang/ast.js";
import type { Diagnostic } from "../../lang/diagnostics/diagnostic.js";
import { progress } from "../cli/progress.js";
import { KernelError } from "../kernel/runner.js";
import { probeRuntime } from "../loader/probe.js";
import { aaSpread, closeAll, loadAll, measure, medianNet, staticSize, type BenchObject } from "./measure.js";
import { barChartSvg, fmt, formatTable, pct } from "./report.js";
import { makeSingleFlowTrace, makeTrace, writeTrace } from "./trace.js";

/** What `bench` borrows from main.ts so diagnostics look and exit the same as `nfc build`. */
export interface BenchHelpers {
  exitCodeFor: (ds: readonly Diagnostic[]) => number;
  render: (ds: readonly Diagnostic[], source: string) => string;
  readFile: (f: string) => { file: string; source: string } | { error: Diagnostic };
}

export interface BenchIo {
  out: (s: string) => void;
  err: (s: string) => void;
}

export interface BenchOpts {
  rounds: number;
  flows: number;
  packets: number;
  single: number;
  seed: number;
  cpu: number;
  json?: string;
  svg?: string;
}

const HOOK_SYNTAX: Record<Hook, string> = { xdp: "xdp", tc_ingress: "tc ingress", tc_egress: "tc egress" };

export async function benchFiles(
  files: string[],
  o: BenchOpts,
  io: BenchIo,
  h: BenchHelpers,
): Promise<number> {
  try {
    return await benchFilesInner(files, o, io, h);
  } catch (e) {
    if (e instanceof KernelError) {
      io.err(h.render([e.diagnostic], ""));
      return 3;
    }
    throw e;
  }
}

async function benchFilesInner(files: string[], o: BenchOpts, io: BenchIo, h: BenchHelpers): Promise<number> {
  const rounds = Math.max(1, o.rounds);
  const flows = Math.max(1, o.flows);
  const packets = Math.max(1, o.packets);
  const single = Math.max(1, o.single);
  const { seed, cpu } = o;
  const { compile } = await import("../api.js");

  const objects: BenchObject[] = [];
  const programs: Array<{ file: string; label: string; hook: Hook; runtime: "bpf" | "kmod" }> = [];
  const notes: string[] = [];
  const hooks = new Set<Hook>();
  for (const [i, f] of files.entries()) {
    const input = h.readFile(f);
    if ("error" in input) {
      io.err(h.render([input.error], ""));
      return 2;
    }
    const r = await compile(input, { runtime: "auto" });
    const code = h.exitCodeFor(r.diagnostics);
    const pure = r.objects?.bpf;
    if (code !== 0 || !pure?.object || !r.manifest) {
      io.err(h.render(r.diagnostics, input.source));
      return code || 70;
    }
    const label = `p${i}_${r.manifest.nf}`;
    objects.push({ label, object: pure.object });
    programs.push({ file: f, label, hook: r.manifest.hook, runtime: "bpf" });
    hooks.add(r.manifest.hook);
    if (i === 0) objects.push({ label: `${label}_aa`, object: pure.object });
    const kmod = r.objects?.kmod;
    if (kmod?.object) {
      const probe = probeRuntime(kmod.manifest.requires_abi ?? 0);
      if (probe.runtime === "kmod") {
        objects.push({ label: `${label}_kmod`, object: kmod.object });
        programs.push({ file: f, label: `${label}_kmod`, hook: r.manifest.hook, runtime: "kmod" });
      } else
        notes.push(
          `${f}: kmod object ${kmod.file} not measured: ${probe.reason} (time it on a machine that can load modules)`,
        );
    }
  }
  for (const hook of hooks) {
    const r = await compile({
      file: `empty_${hook}.nf`,
      source: `nf empty_${hook} on ${HOOK_SYNTAX[hook]}\non packet {\n  pass\n}\n`,
    });
    if (!r.object) throw new Error(`nfc bench: the empty ${hook} program does not compile`);
    objects.push({ label: `empty_${hook}`, object: r.object });
  }

  const dir = mkdtempSync(join(tmpdir(), "nfc-bench-"));
  try {
    const traces = [
      { name: "many", path: join(dir, "many.trace") },
      { name: "single", path: join(dir, "single.trace") },
    ];
    writeTrace(traces[0]!.path, makeTrace({ flows, packets, zipf: 1.1, seed }).frames);
    writeTrace(traces[1]!.path, makeSingleFlowTrace(single, seed).frames);
    const loaded = await loadAll(objects, join(dir, "obj"));
    try {
      io.err(
        `nfc bench: ${loaded.length} programs loaded; ${rounds} rounds of ${packets} packets (${flows} flows, Zipf 1.1) and ${single} single-flow packets\n`,
      );
      const bar = progress();
      const m = await measure(loaded, traces, {
        rounds,
        cpu,
        onRound: (r, n) => bar.update(`nfc bench: round ${r}/${n}`),
      }).finally(() => bar.done());
      const byLabel = new Map(loaded.map((l) => [l.label, l]));
      const rows = programs.map((p) => {
        const base = `empty_${p.hook}`;
        const size = staticSize(byLabel.get(p.label)!);
        return {
          file: p.file,
          hook: p.hook,
          runtime: p.runtime,
          many: medianNet(m, p.label, base, "many"),
          single: medianNet(m, p.label, base, "single"),
          size,
        };
      });
      const first = programs[0]!;
      const aa = {
        many: aaSpread(m, first.label, `${first.label}_aa`, `empty_${first.hook}`, "many"),
        single: aaSpread(m, first.label, `${first.label}_aa`, `empty_${first.hook}`, "single"),
      };
      io.out(
        `net ns/packet = program - empty ${[...hooks].join("/")} program, same round; medians of ${rounds} rounds\n` +
          formatTable(
            [
              "program",
              "runtime",
              "hook",
              "net ns (many-flow)",
              "net ns (1 flow)",
              "xlated insns",
              "verified insns",
              "JIT bytes",
            ],
            rows.map((r) => [
              r.file,
              r.runtime,
              r.hook,
              fmt(r.many),
              fmt(r.single),
              String(r.size.xlated),
              String(r.size.verified),
              String(r.size.jited),
            ]),
          ) +
          `A/A control (${first.file} loaded twice): ${pct(aa.many)} many-flow, ${pct(aa.single)} single-flow; a smaller difference between programs is not a result\n` +
          notes.map((n) => `${n}\n`).join(""),
      );
      const result = {
        options: { rounds, flows, packets, single, seed, cpu, zipf: 1.1 },
        programs: rows,
        aa,
        notes,
      };
      if (o.json) writeOut(o.json, JSON.stringify(result, null, 2) + "\n");
      if (o.svg)
        writeOut(
          o.svg,
          barChartSvg({
            title: "nfc bench: net ns/packet (lower is better)",
            subtitle: `medians of ${rounds} rounds; A/A ${pct(aa.many)}`,
            unit: "net ns/packet",
            groups: rows.map((r) => ({
              label: `${r.file.split("/").pop() ?? r.file}${r.runtime === "kmod" ? " (kmod)" : ""}`,
              bars: [
                { series: "many-flow", value: r.many },
                { series: "single-flow", value: r.single },
              ],
            })),
          }),
        );
      return 0;
    } finally {
      await closeAll(loaded);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function writeOut(path: string, data: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, data);
}
