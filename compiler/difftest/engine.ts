// The differential engine: compile an NF (pure backend, optionally for another hook), load it in
// a KernelRunner, build the reference interpreter, apply the same setup to both, push the same
// packets through both on the same CPU, and compare per packet (verdict, output bytes) and the
// full state every `stateEvery` packets and at the end. Any difference is reported. Time: the
// object is a test build whose now_ns() reads the test clock (clock.ts), set per packet.
import { objectFile } from "../names/files.js";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Hook } from "../../lang/ast.js";
import type { CheckedProgram } from "../../lang/checked.js";
import { hasErrors } from "../../lang/diagnostics/catalogue.js";
import type { Diagnostic } from "../../lang/diagnostics/diagnostic.js";
import { checkSource } from "../../lang/index.js";
import { createInterpreter } from "../../lang/interp/index.js";
import { compile } from "../compile.js";
import { KernelError, KernelRunner, toHex } from "../kernel/runner.js";
import { generatePackets, type GenPacket } from "./packets.js";
import { applyConfigs, applyTables, deriveSetup, type Setup } from "./setup.js";
import { setTestClock, testClockNs } from "./clock.js";
import { LruSync } from "./lru-sync.js";
import { diffState, firstDiff, interpSnapshot, kernelSnapshot } from "./state.js";
import { diffEvents, ringSymbol } from "./events.js";

export type VerdictName = "pass" | "drop" | "tx" | "redirect" | "aborted" | `retval ${number}`;

export interface DiffOptions {
  packets?: number;
  seed?: number;
  hook?: Hook;
  /** Compare the full state every N packets (and always at the end). Default 1000. */
  stateEvery?: number;
  /** Stop collecting details after this many differences (counting continues). Default 20. */
  maxDetails?: number;
  /** Adopt the kernel's lru evictions (lru-sync.ts). Default true; false only to show why. */
  lruSync?: boolean;
  /** Reshapes the generated packets before the run (e.g. repeats some, so flows cross thresholds
   *  and NFs emit events: test/events.test.ts). */
  reshape?: (packets: GenPacket[]) => GenPacket[];
}

export interface Difference {
  packet?: number;
  kind: "verdict" | "bytes" | "state" | "tstamp" | "event";
  detail: string;
}

export interface DiffReport {
  nf: string;
  hook: Hook;
  packets: number;
  malformed: number;
  verdicts: Record<string, number>;
  differences: number;
  /** Packets BPF_PROG_TEST_RUN refused with EINVAL (TC: see CONTEXT.md); not run on either side. */
  rejected: string[];
  details: Difference[];
  stateChecks: number;
  /** TC: packets whose skb->tstamp (ctx_out) was compared with the interpreter's RunResult.tstamp. */
  tstamps: number;
  /** Times an lru table's kernel contents were checked and adopted (lru-sync.ts). */
  lruSyncs: number;
  /** Event records compared (kernel ring buffer vs interpreter, per packet, in order: events.ts). */
  events: number;
  setup: Setup;
  seconds: number;
  /** Compile errors (then nothing ran). */
  diagnostics: Diagnostic[];
  /** Where the seconds went: checker + codegen + clang, runner start + verifier load, packets + state. */
  timing: { compile: number; load: number; packets: number };
}

const XDP: VerdictName[] = ["aborted", "drop", "pass", "tx", "redirect"];
const TC: Record<number, VerdictName> = { 0: "pass", 2: "drop", 7: "redirect" };

export function kernelVerdict(retval: number, tc: boolean): VerdictName {
  return (tc ? TC[retval] : XDP[retval]) ?? `retval ${retval}`;
}

/** What the kernel must return for an interpreter verdict: on TC, `tx` is bpf_redirect(ifindex). */
export function expectedVerdict(v: string, tc: boolean): string {
  return tc && v === "tx" ? "redirect" : v;
}

/**
 * skb->tstamp after a TC run: the runner's ctx_in is a zeroed `struct __sk_buff`, so the kernel
 * reports 0 unless the program wrote it; the interpreter's RunResult.tstamp is undefined unless
 * `set_tstamp` ran, meaning 0. The runner's JSON number is a double: compared after the same
 * rounding (exact below 2^53 ns, 104 days). Returns a description of the difference, or undefined.
 */
export function tstampDiff(kernel: number | undefined, interp: bigint | undefined): string | undefined {
  const want = Number(interp ?? 0n);
  const got = kernel ?? 0;
  return got === want ? undefined : `skb->tstamp: kernel ${got}, interpreter ${interp ?? "unset (0)"}`;
}

export async function runDifferential(
  file: string,
  source: string,
  opts: DiffOptions = {},
): Promise<DiffReport> {
  const t0 = Date.now();
  const count = opts.packets ?? 10_000;
  const seed = opts.seed ?? 1;
  const every = opts.stateEvery ?? 1000;
  const maxDetails = opts.maxDetails ?? 20;
  let tCompiled = 0;
  const checked = checkSource(source, file);
  const hook = opts.hook ?? checked.program?.hook ?? "xdp";
  const empty = (diagnostics: Diagnostic[]): DiffReport => ({
    nf: checked.program?.name ?? file,
    hook,
    packets: 0,
    malformed: 0,
    verdicts: {},
    differences: 0,
    rejected: [],
    details: [],
    stateChecks: 0,
    tstamps: 0,
    lruSyncs: 0,
    events: 0,
    setup: { configs: [], entries: [] },
    seconds: 0,
    diagnostics,
    timing: {
      compile: ((tCompiled || Date.now()) - t0) / 1000,
      load: tCompiled ? (Date.now() - tCompiled) / 1000 : 0,
      packets: 0,
    },
  });
  if (!checked.program || hasErrors(checked.diagnostics)) return empty(checked.diagnostics);
  const built = await compile({ file, source }, { hook, testClock: true });
  tCompiled = Date.now();
  if (!built.object || !built.manifest || hasErrors(built.diagnostics)) return empty(built.diagnostics);
  const program: CheckedProgram = { ...checked.program, hook };
  const manifest = built.manifest;
  const tc = hook !== "xdp";

  const work = mkdtempSync(join(tmpdir(), "nfc-difftest-"));
  const k = KernelRunner.start();
  try {
    const obj = join(work, objectFile(program.name, "bpf"));
    writeFileSync(obj, built.object);
    await k.open(obj);
    const version = await k.send("version");
    const cpus = version.ok ? Math.max(1, Number(version.possible_cpus)) : 1;
    // now_ns() reads the test clock (clock.ts): set per packet when the program asks for time.
    const timed = /\bnow_ns\s*\(/.test(source);
    const it = createInterpreter(program, { cpus });
    const interps = [it];
    const setup = deriveSetup(program, manifest, seed);
    await applyConfigs(setup, k, interps);
    const loaded = await k.load(program.name, { file, text: source });
    if (!loaded.ok) return empty([loaded.diagnostic]);
    await applyTables(setup, manifest, k, it);
    const tLoaded = Date.now();
    const ring = ringSymbol(manifest);
    if (ring !== undefined) await k.ringbuf(ring);
    const eventDecls = program.events ?? [];
    let events = 0;

    const lru = new LruSync(it, manifest);
    const generated: GenPacket[] = generatePackets(program, count, seed);
    const packets = opts.reshape ? opts.reshape(generated) : generated;
    const prog = manifest.programs[0]!.function;
    const verdicts: Record<string, number> = {};
    const details: Difference[] = [];
    const rejected: string[] = [];
    let differences = 0;
    let stateChecks = 0;
    let tstamps = 0;
    const report = (d: Difference): void => {
      differences++;
      if (details.length < maxDetails) details.push(d);
    };
    const checkState = async (after: number): Promise<void> => {
      stateChecks++;
      const ks = await kernelSnapshot(k, manifest);
      const is = interpSnapshot(it, manifest);
      for (const d of diffState(ks, is))
        report({ packet: after, kind: "state", detail: `after packet ${after}: ${d}` });
    };
    const ifindex = tc ? 0 : 1; // TC test runs get a zeroed __sk_buff (ifindex 0)
    for (const [i, p] of packets.entries()) {
      const cpu = i % cpus;
      const where = `packet ${i} (${p.shape}, ${p.bytes.length} bytes, cpu ${cpu})`;
      // The kernel first: a packet BPF_PROG_TEST_RUN refuses (EINVAL) must not reach the interpreter.
      let got: Awaited<ReturnType<KernelRunner["run"]>>;
      try {
        if (timed) await setTestClock(k, testClockNs(i));
        got = await k.run(prog, p.bytes, { cpu });
      } catch (e) {
        const errno = e instanceof KernelError && e.reply && !e.reply.ok ? e.reply.errno : undefined;
        if (errno !== 22) throw new Error(`${where}: ${(e as Error).message}\n  input ${toHex(p.bytes)}`);
        rejected.push(`${where}: input ${toHex(p.bytes.subarray(0, 64))}`);
        if ((i + 1) % every === 0 && i + 1 < packets.length) await checkState(i); // on schedule all the same
        continue;
      }
      if (opts.lruSync !== false) await lru.afterKernel(k);
      const want = it.run(p.bytes, { cpu, nowNs: testClockNs(i), ifindex });
      // lru tables: the kernel's eviction choice is adopted after checking what an lru guarantees.
      if (opts.lruSync !== false)
        for (const d of lru.afterInterpreter())
          report({ packet: i, kind: "state", detail: `after packet ${i}: ${d}` });
      const kv = kernelVerdict(got.retval, tc);
      verdicts[kv] = (verdicts[kv] ?? 0) + 1;
      const ev = expectedVerdict(want.verdict, tc);
      if (kv !== ev)
        report({
          packet: i,
          kind: "verdict",
          detail: `${where}: kernel ${kv} (retval ${got.retval}), interpreter ${want.verdict}\n  input ${toHex(p.bytes)}`,
        });
      const bd = firstDiff(got.data, want.packet);
      if (bd)
        report({ packet: i, kind: "bytes", detail: `${where}: output ${bd}\n  input ${toHex(p.bytes)}` });
      if (ring !== undefined) {
        const mine = it.drainEvents();
        events += Math.max(mine.length, got.events?.length ?? 0);
        for (const d of diffEvents(eventDecls, got.events ?? [], mine))
          report({ packet: i, kind: "event", detail: `${where}: ${d}\n  input ${toHex(p.bytes)}` });
      }
      if (tc) {
        tstamps++;
        const td = tstampDiff(got.skb?.tstamp, want.tstamp);
        if (td) report({ packet: i, kind: "tstamp", detail: `${where}: ${td}\n  input ${toHex(p.bytes)}` });
      }
      if ((i + 1) % every === 0 && i + 1 < packets.length) await checkState(i);
    }
    await checkState(packets.length - 1);
    return {
      nf: program.name,
      hook,
      packets: packets.length,
      malformed: packets.filter((p) => p.malformed).length,
      verdicts,
      differences,
      rejected,
      details,
      stateChecks,
      tstamps,
      lruSyncs: lru.syncs,
      events,
      setup,
      seconds: (Date.now() - t0) / 1000,
      diagnostics: built.diagnostics,
      timing: {
        compile: (tCompiled - t0) / 1000,
        load: (tLoaded - tCompiled) / 1000,
        packets: (Date.now() - tLoaded) / 1000,
      },
    };
  } finally {
    await k.close();
    rmSync(work, { recursive: true, force: true });
  }
}
