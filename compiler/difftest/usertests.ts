// Runs a program's user tests (`test "name" { }`, checked by lang/check/user-tests.ts) on the reference
// interpreter AND the kernel (BPF_PROG_TEST_RUN). Per test: a fresh kernel load and a fresh
// interpreter; configs before load, entries after, on both; packets in order on CPU 0 — each
// side's verdict must equal the written one, and the sides must agree on verdict and bytes (and,
// on TC, skb->tstamp: engine.ts tstampDiff); then
// every `expect` is evaluated against both states (test-state.ts) and must hold on both.
import { describeEvent, diffEvents, findExpected, ringSymbol } from "./events.js";
import { objectFile } from "../names/files.js";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CheckedProgram, CheckedTest, CheckedTestStmt, TestLayer, Value } from "../../lang/checked.js";
import { hasErrors } from "../../lang/diagnostics/catalogue.js";
import type { Diagnostic } from "../../lang/diagnostics/diagnostic.js";
import { checkSource } from "../../lang/index.js";
import { createInterpreter, type Interpreter } from "../../lang/interp/index.js";
import { encode, fromValue } from "../../lang/interp/layout.js";
import { buildPacket, type Layer } from "../../lang/interp/packet-build.js";
import { compile } from "../compile.js";
import { KernelError, KernelRunner, toHex } from "../kernel/runner.js";
import type { Manifest } from "../manifest.js";
import { expectedVerdict, kernelVerdict, tstampDiff } from "./engine.js";
import { setTestClock, testClockNs } from "./clock.js";
import { applyConfigs, applyTables, type Setup } from "./setup.js";
import { firstDiff, interpSnapshot, kernelSnapshot } from "./state.js";
import { evalTestExpr, showRV } from "./test-state.js";

export interface UserTestResult {
  name: string;
  line: number;
  ok: boolean;
  packets: number;
  expects: number;
  /** One line per failure: `line N: what (interpreter …, kernel …)`. */
  failures: string[];
}

export interface UserTestReport {
  nf: string;
  tests: UserTestResult[];
  /** Compile or load errors (then no test ran). */
  diagnostics: Diagnostic[];
}

const num = (v: Value | undefined): number | undefined => (v?.kind === "int" ? Number(v.v) : undefined);
const bytes = (v: Value | undefined): number[] | undefined => (v?.kind === "bytes" ? v.v : undefined);

/** TestLayer[] → packet bytes (lang/interp/packet-build.ts fills lengths and checksums). */
export function testPacketBytes(layers: readonly TestLayer[]): Uint8Array {
  const out: Layer[] = [];
  const payload: number[] = [];
  for (const l of layers) {
    switch (l.kind) {
      case "payload":
        payload.push(...new Array<number>(l.len).fill(0));
        break;
      case "hex":
        out.push({ kind: "raw", bytes: l.bytes });
        break;
      default: {
        const f: Record<string, unknown> = { kind: l.kind };
        for (const [k, v] of Object.entries(l.fields)) f[k] = bytes(v) ?? num(v);
        out.push(f as Layer);
      }
    }
  }
  return buildPacket(out, payload);
}

function setupOf(test: CheckedTest, program: CheckedProgram, manifest: Manifest): Setup {
  const setup: Setup = { configs: [], entries: [] };
  for (const s of test.body) {
    if (s.kind === "config") {
      const decl = program.configs.find((c) => c.name === s.name)!;
      const m = manifest.configs.find((c) => c.name === s.name)!;
      const b = encode(decl.ty, fromValue(decl.ty, s.value));
      setup.configs.push({ name: s.name, symbol: m.symbol, bytes: b.slice(0, m.size), value: s.value });
    } else if (s.kind === "entry") {
      const d = program.states.find((x) => x.name === s.table)!;
      const value = encode(d.value!, fromValue(d.value!, s.value));
      if (s.prefixLen !== undefined) {
        const addr = encode(d.key, fromValue(d.key, s.key));
        const key = new Uint8Array(4 + addr.length);
        new DataView(key.buffer).setUint32(0, s.prefixLen, true);
        key.set(addr, 4);
        setup.entries.push({ map: s.table, key, value, lpm: { prefixLen: s.prefixLen, addr } });
      } else setup.entries.push({ map: s.table, key: encode(d.key, fromValue(d.key, s.key)), value });
    }
  }
  return setup;
}

/** Packets and expectations in order, with `repeat` unrolled. */
function* flat(body: readonly CheckedTestStmt[]): Generator<CheckedTestStmt> {
  for (const s of body) {
    if (s.kind === "repeat") for (let i = 0; i < s.count; i++) yield* flat(s.body);
    else yield s;
  }
}

export async function runUserTests(file: string, source: string): Promise<UserTestReport> {
  const checked = checkSource(source, file);
  const nf = checked.program?.name ?? file;
  if (!checked.program || hasErrors(checked.diagnostics))
    return { nf, tests: [], diagnostics: checked.diagnostics };
  const program = checked.program;
  const tests = program.tests ?? [];
  if (tests.length === 0) return { nf, tests: [], diagnostics: [] };
  const built = await compile({ file, source }, { testClock: true });
  if (!built.object || !built.manifest || hasErrors(built.diagnostics))
    return { nf, tests: [], diagnostics: built.diagnostics };
  const work = mkdtempSync(join(tmpdir(), "nfc-usertests-"));
  try {
    const obj = join(work, objectFile(program.name, "bpf"));
    writeFileSync(obj, built.object);
    const results: UserTestResult[] = [];
    for (const t of tests) {
      const r = await runOne(t, program, built.manifest, obj, { file, text: source });
      if ("diagnostic" in r) return { nf, tests: results, diagnostics: [r.diagnostic] };
      results.push(r);
    }
    return { nf, tests: results, diagnostics: [] };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

async function runOne(
  test: CheckedTest,
  program: CheckedProgram,
  manifest: Manifest,
  obj: string,
  source: { file: string; text: string },
): Promise<UserTestResult | { diagnostic: Diagnostic }> {
  const res: UserTestResult = {
    name: test.name,
    line: test.span.line,
    ok: true,
    packets: 0,
    expects: 0,
    failures: [],
  };
  const fail = (line: number, what: string): void => {
    res.ok = false;
    if (res.failures.length < 20) res.failures.push(`line ${line}: ${what}`);
  };
  const tc = program.hook !== "xdp";
  const k = KernelRunner.start();
  try {
    await k.open(obj);
    const version = await k.send("version");
    const cpus = version.ok ? Math.max(1, Number(version.possible_cpus)) : 1;
    const it: Interpreter = createInterpreter(program, { cpus });
    const setup = setupOf(test, program, manifest);
    await applyConfigs(setup, k, [it]);
    const loaded = await k.load(program.name, source);
    if (!loaded.ok) return { diagnostic: loaded.diagnostic };
    await applyTables(setup, manifest, k, it);
    const ring = ringSymbol(manifest);
    if (ring !== undefined) await k.ringbuf(ring);
    const events = program.events ?? [];
    // Records not yet matched by an `expect event`, per side (events.ts).
    const queued: { kernel: Uint8Array[]; interp: Uint8Array[] } = { kernel: [], interp: [] };
    const prog = manifest.programs[0]!.function;
    const ifindex = tc ? 0 : 1;
    for (const s of flat(test.body)) {
      const line = s.span.line;
      if (s.kind === "packet") {
        const input = testPacketBytes(s.layers);
        const i = res.packets++;
        let got: Awaited<ReturnType<KernelRunner["run"]>>;
        try {
          await setTestClock(k, testClockNs(i));
          got = await k.run(prog, input, { cpu: 0 });
        } catch (e) {
          const detail =
            e instanceof KernelError && e.reply && !e.reply.ok
              ? `errno ${e.reply.errno}`
              : (e as Error).message;
          fail(
            line,
            `the kernel refused packet ${i} (${detail}; at least 14 bytes, and room for the L3 header on TC)\n  input ${toHex(input)}`,
          );
          continue;
        }
        const want = it.run(input, { cpu: 0, nowNs: testClockNs(i), ifindex });
        const kv = kernelVerdict(got.retval, tc);
        const iv = want.verdict === "redirect" ? `redirect(${want.redirectIfindex})` : want.verdict;
        if (kv !== expectedVerdict(want.verdict, tc))
          fail(line, `packet ${i}: sides disagree: interpreter ${iv}, kernel ${kv} (retval ${got.retval})`);
        const bd = firstDiff(got.data, want.packet);
        if (bd) fail(line, `packet ${i}: output bytes differ: ${bd}`);
        const td = tc ? tstampDiff(got.skb?.tstamp, want.tstamp) : undefined;
        if (td) fail(line, `packet ${i}: sides disagree on ${td}`);
        if (ring !== undefined) {
          const mine = it.drainEvents();
          for (const d of diffEvents(events, got.events ?? [], mine))
            fail(line, `packet ${i}: sides disagree on the events: ${d}`);
          queued.kernel.push(...(got.events ?? []));
          queued.interp.push(...mine.map((e) => e.bytes));
        }
        if (s.expect) {
          const w = s.expect.verdict === "redirect" ? `redirect(${s.expect.ifindex})` : s.expect.verdict;
          const kw = expectedVerdict(s.expect.verdict, tc);
          if (iv !== w || kv !== kw)
            fail(line, `packet ${i}: expected ${w}, interpreter ${iv}, kernel ${kv}`);
        }
        if (s.output) {
          const wantBytes = testPacketBytes(s.output);
          const ki = firstDiff(got.data, wantBytes, undefined, ["kernel", "expected"]);
          const ii = firstDiff(want.packet, wantBytes, undefined, ["interpreter", "expected"]);
          if (ki || ii)
            fail(
              line,
              `packet ${i}: output is not the expected packet: ${[ki, ii].filter(Boolean).join("; ")}`,
            );
        }
      } else if (s.kind === "expectEvent") {
        res.expects++;
        const at = {
          kernel: findExpected(events, queued.kernel, s),
          interp: findExpected(events, queued.interp, s),
        };
        for (const side of ["kernel", "interp"] as const) if (at[side] >= 0) queued[side].splice(at[side], 1);
        if (at.kernel < 0 || at.interp < 0) {
          const pending = queued.interp.map((b) => describeEvent(events, b));
          fail(
            line,
            `${s.text}: ${at.interp < 0 ? "the interpreter" : ""}${at.interp < 0 && at.kernel < 0 ? " and " : ""}${at.kernel < 0 ? "the kernel" : ""} sent no such event (unmatched: ${pending.length > 0 ? pending.slice(0, 5).join("; ") : "none"})`,
          );
        }
      } else if (s.kind === "expect") {
        res.expects++;
        const ks = await kernelSnapshot(k, manifest);
        const is = interpSnapshot(it, manifest);
        const iv = evalTestExpr(s.expr, is, program.states);
        const kv = evalTestExpr(s.expr, ks, program.states);
        if (iv !== true || kv !== true)
          fail(
            line,
            `expect ${s.text}: interpreter ${showRV(iv)}, kernel ${showRV(kv)}${sides(s.expr, is, ks, program)}`,
          );
      }
    }
    return res;
  } finally {
    await k.close();
  }
}

/** For a failed comparison, both operands on both sides ("left: interpreter 3, kernel 3"). */
function sides(
  e: Parameters<typeof evalTestExpr>[0],
  is: Parameters<typeof evalTestExpr>[1],
  ks: Parameters<typeof evalTestExpr>[1],
  program: CheckedProgram,
): string {
  if (e.kind !== "binary" || e.op === "&&" || e.op === "||") return "";
  const l = `${showRV(evalTestExpr(e.left, is, program.states))} / ${showRV(evalTestExpr(e.left, ks, program.states))}`;
  const r = `${showRV(evalTestExpr(e.right, is, program.states))} / ${showRV(evalTestExpr(e.right, ks, program.states))}`;
  return ` (left: ${l}, right: ${r}, as interpreter / kernel)`;
}
