// `nfc bench` body (registered by compiler/cli/bench.ts): compiles the files, adds an empty nf
// program per hook and an A/A second load of the first file, measures (measure.ts), prints the
// table and writes --json / --svg. Returns the exit code (0, 1 program errors, 2 unreadable file, 3 kernel/toolchain).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { Hook } from "../../lang/ast.js";
import type { BenchHelpers, BenchIo } from "../cli/bench.js";
import { KernelError } from "../kernel/runner.js";
import { aaSpread, closeAll, loadAll, measure, medianNet, staticSize, type BenchObject } from "./measure.js";
import { barChartSvg, fmt, formatTable, pct } from "./report.js";
import { makeSingleFlowTrace, makeTrace, writeTrace } from "./trace.js";

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
  const programs: Array<{ file: string; label: string; hook: Hook }> = [];
  const hooks = new Set<Hook>();
  for (const [i, f] of files.entries()) {
    const input = h.readFile(f);
    if ("error" in input) {
      io.err(h.render([input.error], ""));
      return 2;
    }
    const r = await compile(input);
    const code = h.exitCodeFor(r.diagnostics);
    if (code !== 0 || !r.object || !r.manifest) {
      io.err(h.render(r.diagnostics, input.source));
      return code || 70;
    }
    const label = `p${i}_${r.manifest.nf}`;
    objects.push({ label, object: r.object });
    programs.push({ file: f, label, hook: r.manifest.hook });
    hooks.add(r.manifest.hook);
    if (i === 0) objects.push({ label: `${label}_aa`, object: r.object });
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
      const m = await measure(loaded, traces, { rounds, cpu });
      const byLabel = new Map(loaded.map((l) => [l.label, l]));
      const rows = programs.map((p) => {
        const base = `empty_${p.hook}`;
        const size = staticSize(byLabel.get(p.label)!);
        return {
          file: p.file,
          hook: p.hook,
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
              "hook",
              "net ns (many-flow)",
              "net ns (1 flow)",
              "xlated insns",
              "verified insns",
              "JIT bytes",
            ],
            rows.map((r) => [
              r.file,
              r.hook,
              fmt(r.many),
              fmt(r.single),
              String(r.size.xlated),
              String(r.size.verified),
              String(r.size.jited),
            ]),
          ) +
          `A/A control (${first.file} loaded twice): ${pct(aa.many)} many-flow, ${pct(aa.single)} single-flow; a smaller difference between programs is not a result\n`,
      );
      const result = {
        options: { rounds, flows, packets, single, seed, cpu, zipf: 1.1 },
        programs: rows,
        aa,
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
              label: r.file.split("/").pop() ?? r.file,
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
