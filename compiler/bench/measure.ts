// The benchmark method (DESIGN.md section 7, KERNEL-NOTES.md "Measuring"): every program in its
// own nfc-runner process, all loaded for the whole benchmark; per round, every program replays
// every trace (`runtrace`: one BPF_PROG_TEST_RUN with repeat=1 per frame) in an order rotated by
// the round number; ns/packet per round; net = program - the empty baseline of the same round;
// medians over rounds. Ratios are only ever taken between numbers of the same run.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { KernelError, KernelRunner, type ProgramInfo } from "../kernel/runner.js";

export interface BenchObject {
  /** Unique label (also the object's file name); letters, digits, `_`, `-`, `.`. */
  label: string;
  object: Uint8Array;
  /** `config NAME HEX` values set before load. */
  config?: Record<string, Uint8Array>;
}

export interface LoadedProgram {
  label: string;
  program: string;
  info: ProgramInfo;
  runner: KernelRunner;
}

export interface TraceFile {
  name: string;
  path: string;
}

/** One program on one trace: per-round ns/packet and return-value histograms. */
export interface Series {
  nsPerPacket: number[];
  retvals: Array<Map<number, number>>;
  count: number;
}

export interface Measurement {
  rounds: number;
  /** label -> trace name -> series */
  series: Map<string, Map<string, Series>>;
  /** the label of each round's order, for the record */
  orders: string[][];
}

/** Writes each object to `dir`, starts one runner per object and loads it. Closes every runner
 *  already started if one load fails (the verifier's message is in the thrown KernelError). */
export async function loadAll(objects: readonly BenchObject[], dir: string): Promise<LoadedProgram[]> {
  mkdirSync(dir, { recursive: true });
  const loaded: LoadedProgram[] = [];
  const started: KernelRunner[] = [];
  try {
    for (const o of objects) {
      const path = join(dir, `${o.label}.bpf.o`);
      writeFileSync(path, o.object);
      const runner = KernelRunner.start();
      started.push(runner);
      await runner.open(path);
      for (const [name, value] of Object.entries(o.config ?? {})) await runner.config(name, value);
      const r = await runner.load(o.label);
      if (!r.ok) throw new KernelError(r.diagnostic, r.reply);
      const info = r.programs[0];
      if (!info) throw new Error(`bench: object ${o.label} has no program`);
      loaded.push({ label: o.label, program: info.name, info, runner });
    }
  } catch (e) {
    await Promise.all(started.map((r) => r.close()));
    throw e;
  }
  return loaded;
}

export async function closeAll(loaded: readonly LoadedProgram[]): Promise<void> {
  await Promise.all(loaded.map((l) => l.runner.close()));
}

export interface MeasureOptions {
  rounds: number;
  /** Pin every replay to this CPU (default 0): per-CPU maps see one shard, runs share a core. */
  cpu?: number;
  onRound?: (round: number, rounds: number) => void;
}

/** Runs the rounds. Every program replays every trace once per round, order rotated by round. */
export async function measure(
  loaded: readonly LoadedProgram[],
  traces: readonly TraceFile[],
  opts: MeasureOptions,
): Promise<Measurement> {
  const series = new Map<string, Map<string, Series>>();
  for (const l of loaded)
    series.set(l.label, new Map(traces.map((t) => [t.name, { nsPerPacket: [], retvals: [], count: 0 }])));
  const orders: string[][] = [];
  const cpu = opts.cpu ?? 0;
  for (let r = 0; r < opts.rounds; r++) {
    const order = rotate(loaded, r % Math.max(1, loaded.length));
    orders.push(order.map((l) => l.label));
    for (const t of traces) {
      for (const l of order) {
        const res = await l.runner.runTrace(l.program, t.path, { cpu });
        const s = series.get(l.label)!.get(t.name)!;
        s.nsPerPacket.push(res.count > 0 ? res.duration_ns / res.count : NaN);
        s.retvals.push(res.retvals);
        s.count = res.count;
      }
    }
    opts.onRound?.(r + 1, opts.rounds);
  }
  return { rounds: opts.rounds, series, orders };
}

export function rotate<T>(xs: readonly T[], k: number): T[] {
  return [...xs.slice(k), ...xs.slice(0, k)];
}

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Per-round net ns/packet of `label` on `trace`: program minus `baseline` in the same round. */
export function netPerRound(m: Measurement, label: string, baseline: string, trace: string): number[] {
  const p = m.series.get(label)?.get(trace);
  const b = m.series.get(baseline)?.get(trace);
  if (!p || !b) throw new Error(`bench: no series for ${label} / ${baseline} on ${trace}`);
  return p.nsPerPacket.map((v, i) => v - b.nsPerPacket[i]!);
}

/** Median net ns/packet (median over rounds of the per-round difference). */
export function medianNet(m: Measurement, label: string, baseline: string, trace: string): number {
  return median(netPerRound(m, label, baseline, trace));
}

/** A/A spread: |median A - median A'| / |median A|, on net values. */
export function aaSpread(m: Measurement, a: string, a2: string, baseline: string, trace: string): number {
  const x = medianNet(m, a, baseline, trace);
  const y = medianNet(m, a2, baseline, trace);
  return Math.abs(x - y) / Math.abs(x);
}

/** Static size of a loaded program (deterministic for a given object and kernel). */
export function staticSize(l: LoadedProgram): { xlated: number; verified: number; jited: number } {
  return { xlated: l.info.xlated_insns, verified: l.info.verified_insns, jited: l.info.jited_bytes };
}
