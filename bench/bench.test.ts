// Kernel tier: the benchmark machinery on a tiny trace (200 packets, 20 flows, 3 rounds) with the
// count-min and bloom cases, whose verdicts can be predicted exactly. Asserts structure and sanity —
// verdict histograms equal the exact expected counts, net values are finite, the A/A programs are
// distinct loads — never timing thresholds (those live in `npm run bench`). Then every case of
// every kind once: both sides load, run, and decide alike.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { CASES, EMPTY_HW, EMPTY_NF, runComparison, type Comparison } from "./compare.js";
import { encodeTrace, makeTrace, readTrace } from "../compiler/bench/trace.js";
import { KernelRunner } from "../compiler/kernel/runner.js";
import { requireKernel } from "../compiler/kernel/testing.js";

const XDP_DROP = 1;
const XDP_PASS = 2;
const THRESHOLD = 3;
const ROUNDS = 3;
const EXACT = CASES.filter((x) => /^cms_\d+$|^bloom$/.test(x.name));

/** Exact verdict counts per round, given cumulative per-flow counts (no hash collisions among 20
 *  flows in 65536-wide rows / 2^20 bloom bits; every replay pinned to one CPU = one shard). */
function expectedVerdicts(c: Comparison, kind: "cms" | "bloom"): Map<string, Array<Map<number, number>>> {
  const seen = new Map<string, number>();
  const out = new Map<string, Array<Map<number, number>>>([
    ["many", []],
    ["single", []],
  ]);
  const keyOf = (f: Uint8Array): string => Buffer.from(f).toString("hex");
  for (let r = 0; r < ROUNDS; r++) {
    for (const [name, t] of [
      ["many", c.traces.many],
      ["single", c.traces.single],
    ] as const) {
      const h = new Map<number, number>();
      for (const f of t.frames) {
        const k = keyOf(f);
        const before = seen.get(k) ?? 0;
        seen.set(k, before + 1);
        const drop = kind === "cms" ? before + 1 > THRESHOLD : before > 0;
        const v = drop ? XDP_DROP : XDP_PASS;
        h.set(v, (h.get(v) ?? 0) + 1);
      }
      out.get(name)!.push(h);
    }
  }
  return out;
}

describe.runIf(requireKernel())("benchmark machinery (kernel)", () => {
  const dir = mkdtempSync(join(tmpdir(), "nfc-bench-test-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  let c: Comparison;

  test("generated and hand-written programs replay a tiny trace", { timeout: 180_000 }, async () => {
    c = await runComparison({
      rounds: ROUNDS,
      flows: 20,
      packets: 200,
      singlePackets: 50,
      seed: 7,
      threshold: THRESHOLD,
      cpu: 0,
      workDir: dir,
      cases: EXACT,
    });
    expect(c.cases.map((x) => x.name)).toEqual(EXACT.map((x) => x.name));
    for (const [label, byTrace] of c.measurement.series) {
      expect(byTrace.get("many")!.count, label).toBe(200);
      expect(byTrace.get("single")!.count, label).toBe(50);
      expect(byTrace.get("many")!.nsPerPacket).toHaveLength(ROUNDS);
    }
  });

  test("verdict histograms equal the exact expected counts, round by round", () => {
    for (const x of c.cases) {
      const want = expectedVerdicts(c, x.name === "bloom" ? "bloom" : "cms");
      for (const label of [`gen_${x.name}`, `hw_${x.name}`, `hw_${x.name}_aa`]) {
        for (const trace of ["many", "single"]) {
          const got = c.measurement.series.get(label)!.get(trace)!.retvals;
          expect(got, `${label} ${trace}`).toEqual(want.get(trace));
        }
      }
    }
    // the trace makes both verdicts happen, so the check above can fail
    expect(expectedVerdicts(c, "cms").get("many")![0]!.get(XDP_DROP)).toBeGreaterThan(0);
    expect(expectedVerdicts(c, "cms").get("many")![0]!.get(XDP_PASS)).toBeGreaterThan(0);
    for (const e of [EMPTY_HW, EMPTY_NF]) {
      expect(c.measurement.series.get(e)!.get("many")!.retvals[0]).toEqual(new Map([[XDP_PASS, 200]]));
    }
  });

  test("net values and ratios are finite; A/A programs are distinct loads; sizes are reported", () => {
    for (const x of c.cases) {
      for (const v of [
        x.generated.manyNet,
        x.generated.singleNet,
        x.handwritten.manyNet,
        x.handwritten.singleNet,
        x.ratioMany,
        x.ratioSingle,
        x.aaMany,
        x.aaSingle,
      ]) {
        expect(Number.isFinite(v), x.name).toBe(true);
      }
      expect(x.handwritten.progId).not.toBe(x.handwrittenAA.progId);
      expect(x.handwritten.size).toEqual(x.handwrittenAA.size);
      expect(x.generated.size.xlated).toBeGreaterThan(10);
      expect(x.generated.size.jited).toBeGreaterThan(0);
    }
    // rotated order: each round starts with a different program
    expect(new Set(c.measurement.orders.map((o) => o[0])).size).toBe(ROUNDS);
  });

  test(
    "every case: generated, hand-written and its A/A twin load, run and decide alike",
    { timeout: 600_000 },
    async () => {
      const all = await runComparison({
        rounds: 1,
        flows: 200,
        packets: 1000,
        singlePackets: 20,
        seed: 5,
        threshold: THRESHOLD,
        cpu: 0,
        workDir: join(dir, "all"),
      });
      expect(all.cases.map((x) => x.name)).toEqual(CASES.map((x) => x.name));
      const off: string[] = [];
      for (const x of all.cases) {
        const hist = (label: string) => all.measurement.series.get(label)!.get("many")!.retvals[0]!;
        const [gen, hw, aa] = [hist(`gen_${x.name}`), hist(`hw_${x.name}`), hist(`hw_${x.name}_aa`)];
        for (const h of [gen, hw, aa])
          expect(
            [...h.values()].reduce((a, b) => a + b, 0),
            x.name,
          ).toBe(1000);
        if (CASES.find((k) => k.name === x.name)?.timed) continue; // the clock decides (timer_wheel): runs differ
        expect(aa, x.name).toEqual(hw);
        // Different hashes may collide differently: allow 1% of the packets to decide otherwise.
        const apart =
          [...new Set([...gen.keys(), ...hw.keys()])].reduce(
            (a, v) => a + Math.abs((gen.get(v) ?? 0) - (hw.get(v) ?? 0)),
            0,
          ) / 2;
        if (apart > 10)
          off.push(
            `${x.name}: generated ${JSON.stringify([...gen])} hand-written ${JSON.stringify([...hw])}`,
          );
      }
      expect(off).toEqual([]);
    },
  );

  test("runtrace rejects a file that is not a trace, and counts a valid one", async () => {
    const good = join(dir, "t.trace");
    const frames = makeTrace({ flows: 3, packets: 10, zipf: 1.1, seed: 1 }).frames;
    writeFileSync(good, encodeTrace(frames));
    expect(readTrace(good)).toEqual(frames);
    const bad = join(dir, "bad.trace");
    writeFileSync(bad, "not a trace");
    const r = KernelRunner.start();
    try {
      await r.open(join(dir, "obj", `${EMPTY_HW}.bpf.o`));
      expect((await r.load()).ok).toBe(true);
      const res = await r.runTrace("empty_prog", good, { cpu: 0 });
      expect(res.count).toBe(10);
      expect(res.retvals).toEqual(new Map([[XDP_PASS, 10]]));
      await expect(r.runTrace("empty_prog", bad)).rejects.toThrow(/NF5010.*not a trace file/);
    } finally {
      await r.close();
    }
  });
});
