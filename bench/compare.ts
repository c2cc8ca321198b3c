// Generated vs hand-written pure eBPF (the `npm run bench` kernel part): nfc's count-min (rows
// 1/2/4/8) and bloom programs (bench/nf/) against hand-written C twins (bench/handwritten/),
// measured together by the project's method (compiler/bench/measure.ts). The hand-written
// program of every case is loaded twice (A/A control).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { compile } from "../compiler/api.js";
import {
  closeAll,
  loadAll,
  measure,
  medianNet,
  staticSize,
  type BenchObject,
  type LoadedProgram,
  type Measurement,
} from "../compiler/bench/measure.js";
import { makeSingleFlowTrace, makeTrace, writeTrace, type Trace } from "../compiler/bench/trace.js";
import { compileBpf } from "../compiler/toolchain/clang.js";
import type { BenchCase } from "./case.js";
import { CUCKOO_CASES } from "./cuckoo.js";
import { packageRoot } from "../compiler/toolchain/tools.js";

export const WIDTH = 65536;
export const BLOOM_BITS = 1 << 20;
export const BLOOM_HASHES = 4;

export type { BenchCase };

export const CASES: readonly BenchCase[] = [
  ...[1, 2, 4, 8].map((r) => ({
    name: `cms_${r}`,
    nf: `cms_${r}.nf`,
    hwSource: "cms.bpf.c",
    defines: { ROWS: String(r), WIDTH: String(WIDTH) },
    threshold: true,
  })),
  {
    name: "bloom",
    nf: "bloom.nf",
    hwSource: "bloom.bpf.c",
    defines: { BITS: String(BLOOM_BITS), HASHES: String(BLOOM_HASHES) },
    threshold: false,
  },
  {
    name: "timer_wheel",
    timed: true,
    nf: "wheel.nf",
    hwSource: "timer_wheel.bpf.c",
    defines: { SLOTS: "256", TICK: "4096", DEPTH: "4" },
    threshold: false,
  },
  ...[4, 8].map((r) => ({
    name: `nitro_${r}`,
    nf: `nitro_${r}.nf`,
    hwSource: "nitro.bpf.c",
    defines: { ROWS: String(r), WIDTH: String(WIDTH), ONE_IN: "16" },
    threshold: false,
  })),
  { name: "topk", nf: "topk.nf", hwSource: "topk.bpf.c", defines: { K: "64" }, threshold: true },
  { name: "hll", nf: "hll.nf", hwSource: "hll.bpf.c", defines: { P: "10", GROUPS: "1024" }, threshold: true },
  ...[3, 5].map((r) => ({
    name: `cs_${r}`,
    nf: `cs_${r}.nf`,
    hwSource: "count_sketch.bpf.c",
    defines: { ROWS: String(r), WIDTH: String(WIDTH) },
    threshold: true,
  })),
  {
    name: "pq",
    nf: "pq.nf",
    hwSource: "pq.bpf.c",
    defines: { RANKS: "32", DEPTH: "32", LIMIT: "32" },
    threshold: false,
  },
  {
    name: "fifo",
    nf: "fifo.nf",
    hwSource: "fifo.bpf.c",
    defines: { CAP: "256", LIMIT: "128" },
    threshold: false,
  },
  { name: "ordered", nf: "ordered.nf", hwSource: "ordered.bpf.c", defines: { CAP: "1024" }, threshold: true },
  ...CUCKOO_CASES,
];

export interface CompareOptions {
  rounds: number;
  flows: number;
  packets: number;
  singlePackets: number;
  seed: number;
  /** count-min drop threshold (config `threshold`), default 1000 */
  threshold?: number;
  cpu?: number;
  /** where objects and traces go */
  workDir: string;
  cases?: readonly BenchCase[];
  log?: (s: string) => void;
  /** Called after each measuring round (progress). */
  onRound?: (round: number, rounds: number) => void;
}

export interface Side {
  label: string;
  manyNet: number;
  singleNet: number;
  size: { xlated: number; verified: number; jited: number };
  progId: number;
}

export interface CaseResult {
  name: string;
  generated: Side;
  handwritten: Side;
  handwrittenAA: Side;
  ratioMany: number;
  ratioSingle: number;
  aaMany: number;
  aaSingle: number;
}

export interface Comparison {
  options: Omit<CompareOptions, "log" | "onRound" | "cases">;
  baseline: string;
  emptyNfNet: { many: number; single: number };
  cases: CaseResult[];
  measurement: Measurement;
  traces: { many: Trace; single: Trace };
}

export const EMPTY_HW = "empty_hw";
export const EMPTY_NF = "empty_nf";

function u32le(v: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, v >>> 0, true);
  return b;
}

/** The object and the C symbol of each `config` (from the manifest). */
async function compileNf(file: string): Promise<{ object: Uint8Array; configs: Map<string, string> }> {
  const source = readFileSync(file, "utf8");
  const r = await compile({ file, source });
  if (!r.object || !r.manifest)
    throw new Error(
      `bench: ${file} does not compile: ${r.diagnostics.map((d) => `${d.code} ${d.message}`).join("; ")}`,
    );
  return { object: r.object, configs: new Map(r.manifest.configs.map((c) => [c.name, c.symbol])) };
}

function compileHw(source: string, name: string, defines: Record<string, string>): Uint8Array {
  const dir = join(packageRoot(), "bench", "handwritten");
  const r = compileBpf(readFileSync(join(dir, source), "utf8"), {
    name,
    includeDirs: [dir],
    werror: true,
    defines,
  });
  if (!r.object)
    throw new Error(`bench: ${source} does not compile: ${r.diagnostics.map((d) => d.message).join("; ")}`);
  return r.object;
}

/** Compiles every object of the comparison (generated, hand-written twice, both empties). */
export async function comparisonObjects(
  cases: readonly BenchCase[],
  threshold: number,
): Promise<BenchObject[]> {
  const nfDir = join(packageRoot(), "bench", "nf");
  const objs: BenchObject[] = [
    { label: EMPTY_HW, object: compileHw("empty.bpf.c", "empty_hw", {}) },
    { label: EMPTY_NF, object: (await compileNf(join(nfDir, "empty.nf"))).object },
  ];
  for (const c of cases) {
    const config = c.threshold ? { threshold: u32le(threshold) } : undefined;
    const hw = compileHw(c.hwSource, `hw_${c.name}`, c.defines);
    const gen = await compileNf(join(nfDir, c.nf));
    const sym = gen.configs.get("threshold");
    if (c.threshold && !sym) throw new Error(`bench: ${c.nf} has no config \`threshold\``);
    objs.push({
      label: `gen_${c.name}`,
      object: gen.object,
      config: sym ? { [sym]: u32le(threshold) } : undefined,
    });
    objs.push({ label: `hw_${c.name}`, object: hw, config });
    objs.push({ label: `hw_${c.name}_aa`, object: hw, config });
  }
  return objs;
}

export async function runComparison(o: CompareOptions): Promise<Comparison> {
  const log = o.log ?? (() => undefined);
  const cases = o.cases ?? CASES;
  const threshold = o.threshold ?? 1000;
  log(
    `trace: ${o.flows} flows, Zipf(1.1), ${o.packets} packets (seed ${o.seed}); single-flow: ${o.singlePackets} packets`,
  );
  const many = makeTrace({ flows: o.flows, packets: o.packets, zipf: 1.1, seed: o.seed });
  const single = makeSingleFlowTrace(o.singlePackets, o.seed);
  const traces = [
    { name: "many", path: join(o.workDir, "many.trace") },
    { name: "single", path: join(o.workDir, "single.trace") },
  ];
  const objects = await comparisonObjects(cases, threshold);
  const loaded: LoadedProgram[] = await loadAll(objects, join(o.workDir, "obj"));
  writeTrace(traces[0]!.path, many.frames);
  writeTrace(traces[1]!.path, single.frames);
  try {
    log(`${loaded.length} programs loaded, one runner each; ${o.rounds} rounds`);
    for (const c of cases.filter((x) => x.prefill))
      for (const l of loaded.filter((x) =>
        [`gen_${c.name}`, `hw_${c.name}`, `hw_${c.name}_aa`].includes(x.label),
      ))
        log(await c.prefill!(many, l, l.label.startsWith("gen_") ? "generated" : "handwritten"));
    const m = await measure(loaded, traces, {
      rounds: o.rounds,
      cpu: o.cpu,
      onRound: o.onRound,
    });
    const byLabel = new Map(loaded.map((l) => [l.label, l]));
    const side = (label: string): Side => ({
      label,
      manyNet: medianNet(m, label, EMPTY_HW, "many"),
      singleNet: medianNet(m, label, EMPTY_HW, "single"),
      size: staticSize(byLabel.get(label)!),
      progId: byLabel.get(label)!.info.id,
    });
    const results = cases.map((c): CaseResult => {
      const g = side(`gen_${c.name}`);
      const h = side(`hw_${c.name}`);
      const h2 = side(`hw_${c.name}_aa`);
      return {
        name: c.name,
        generated: g,
        handwritten: h,
        handwrittenAA: h2,
        ratioMany: g.manyNet / h.manyNet,
        ratioSingle: g.singleNet / h.singleNet,
        aaMany: Math.abs(h.manyNet - h2.manyNet) / Math.abs(h.manyNet),
        aaSingle: Math.abs(h.singleNet - h2.singleNet) / Math.abs(h.singleNet),
      };
    });
    const { log: _l, onRound: _r, cases: _c, ...options } = o;
    return {
      options,
      baseline: EMPTY_HW,
      emptyNfNet: {
        many: medianNet(m, EMPTY_NF, EMPTY_HW, "many"),
        single: medianNet(m, EMPTY_NF, EMPTY_HW, "single"),
      },
      cases: results,
      measurement: m,
      traces: { many, single },
    };
  } finally {
    await closeAll(loaded);
  }
}
