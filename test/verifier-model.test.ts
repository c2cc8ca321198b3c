// Calibration of the verifier model (compiler/toolchain/verifier-model.ts) on the host kernel:
// programs of growing size (long handlers, loops of each structure operation at growing trip counts,
// nested loops) are built; each the model accepts must load, with the verifier walking no more
// instructions than the model estimated; each it refuses gets NF4203/NF4204/NF4205 only. The printed
// table (name, estimate, measured) is the evidence for the model's constants.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { compile } from "../compiler/api.js";
import { withNfLines } from "../compiler/codegen/line-map.js";
import { KernelRunner } from "../compiler/kernel/runner.js";
import { requireKernel } from "../compiler/kernel/testing.js";
import { estimateObject } from "../compiler/toolchain/verifier-model.js";
import { bigProgram } from "./resource-programs.js";

const work = mkdtempSync(join(tmpdir(), "nfc-vmodel-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const STATE = `sketch s: count_min<u32>(rows = 4, width = 1024)
sketch b: bloom<u32>(bits = 4096, hashes = 3)
sketch k: topk<u32>(k = 16)
sketch hl: hll<u32>(precision = 8)
sketch cs: count_sketch<u32>(rows = 4, width = 1024)
table t: hash<u32, u64>(capacity = 1024)
counter c`;

// topk's slot scans are loops inside the stdlib helper that clang keeps: the model reads their
// bound from the helper calls (STDLIB_LOOPS) and the helper makes each scan's exit state one
// (nf_topk_forget), so the verifier's work is linear in the operations (F10).
const keyOf = (key: string) => (key === "flow5" ? "flow5()" : `n + i as ${key}`);
const TOPK = (key: string, k: number, trips: number, op: string) => ({
  name: `topk_${key.replace(/\W/g, "")}_k${k}_x${trips}_${op}`,
  source:
    `nf topk on xdp\nsketch t: topk<${key}>(k = ${k})\ncounter c\non packet {\n  let ip = ipv4 else { pass }\n  let n = pkt_len()\n` +
    `  for i in 0..${trips} {\n    ${op === "add" ? `t.add(${keyOf(key)})` : `if t.count(${keyOf(key)}) > 2 { c += 1 }`}\n  }\n  pass\n}\n`,
});

// emit (F28): a ringbuf reserve, a NULL check, a zeroed record and a submit per site, `every N`
// sampling through a per-CPU counter; sites in branches, in a loop, and reading table values.
const EMITS = (n: number, every: boolean, loop: number) => ({
  name: `emit_x${n}${every ? "_every" : ""}${loop ? `_loop${loop}` : ""}`,
  source:
    `nf emits on xdp\nevent e { a: u32, b: ip6, c: bool }\ntable t: hash<u32, ip6>(capacity = 64)\n` +
    `on packet {\n  let n = pkt_len()\n` +
    Array.from({ length: n }, (_, i) => {
      const site = `emit e { a = n + ${i}, b = v, c = n > ${i * 7} }${every ? ` every ${i + 2}` : ""}`;
      const body = `if let v = t.get(n + ${i}) { ${site} } else { emit e { a = ${i}, b = 2001:db8::${i + 1}, c = false } }`;
      return loop
        ? `  for i in 0..${loop} {\n    ${body.replaceAll("n + ", "n + i + ")}\n  }\n`
        : `  if n > ${i * 10} {\n    ${body}\n  }\n`;
    }).join("") +
    `  pass\n}\n`,
});

// cuckoo lane pointers (F28): each `get` returns from one of 16 lanes of two buckets; held values
// across later scans used to be walked once per combination of lanes (seed 1: over 1M).
const CUCKOO = (held: number) => ({
  name: `cuckoo_held${held}`,
  source:
    `nf held on xdp\nevent e { a: ip6, b: bool }\ntable t: cuckoo<flow5, ip6>(capacity = 64)\ncounter c\n` +
    `on packet {\n  let ip = ipv4 else { pass }\n` +
    Array.from(
      { length: held },
      (_, i) =>
        `  let v${i} = t.get(flow5 { src: ip.src, dst: ip.dst, sport: ${i}, dport: 1, proto: 6 }) else { pass }\n`,
    ).join("") +
    `  let hit = t.contains(flow5())\n  t.remove(flow5 { src: ip.dst, dst: ip.src, sport: 1, dport: 2, proto: 17 })\n` +
    Array.from({ length: held }, (_, i) => `  emit e { a = v${i}, b = hit }\n`).join("") +
    `  pass\n}\n`,
});

const OPS = [
  "s.add(i, 1)",
  "if s.estimate(i) > 3 { c += 1 }",
  "b.insert(i)",
  "t.add(i & 1023, 1)",
  "hl.add(i)",
  "cs.add(i, 1)",
];

function loopProgram(body: string, trips: number[]): string {
  const vars = ["i", "j", "m"];
  let inner = body;
  for (let d = trips.length - 1; d >= 0; d--) inner = `for ${vars[d]} in 0..${trips[d]} { ${inner} }`;
  const fixed =
    trips.length > 1
      ? inner.replaceAll("(i", "(i + j").replaceAll("(i + j & 1023", "((i + j) & 1023")
      : inner;
  return `nf loop on xdp\n${STATE}\non packet {\n  let ip = ipv4 else { pass }\n  ${fixed}\n  pass\n}\n`;
}

const PROGRAMS: { name: string; source: string }[] = [
  ...[1000, 2000].map((n) => ({ name: `big${n}`, source: bigProgram(n) })),
  ...OPS.flatMap((op, o) =>
    [32, 256, 1024].map((n) => ({ name: `op${o}x${n}`, source: loopProgram(op, [n]) })),
  ),
  { name: "two_ops_x1024", source: loopProgram(`${OPS[0]}; ${OPS[3]}`, [1024]) },
  { name: "three_ops_x512", source: loopProgram(`${OPS[0]}; ${OPS[2]}; ${OPS[5]}`, [512]) },
  { name: "nested_8x128", source: loopProgram(OPS[1]!, [8, 128]) },
  { name: "nested_64x1024", source: loopProgram(OPS[1]!, [64, 1024]) },
  ...[1, 4, 8, 16].map((n) => TOPK("u64", 256, n, "add")),
  ...[1, 8, 64].map((n) => TOPK("u32", 16, n, "add")),
  ...[1, 8].map((n) => TOPK("u64", 256, n, "count")),
  ...[1, 4, 8].map((n) => TOPK("flow5", 256, n, "add")),
  ...[1, 4, 16].flatMap((n) => [EMITS(n, false, 0), EMITS(n, true, 0)]),
  ...[4, 32].map((loop) => EMITS(2, true, loop)),
  ...[1, 2, 3].map(CUCKOO),
];

describe.runIf(requireKernel())(
  "the verifier model is an upper bound (model accepts => the kernel loads)",
  () => {
    const rows: string[] = [];
    afterAll(() => console.log(`name  est.verified est.pending est.jump  measured\n${rows.join("\n")}`));
    for (const p of PROGRAMS) {
      test(
        p.name,
        async () => {
          const r = await compile({ file: `${p.name}.nf`, source: p.source }, { werror: true });
          const errors = r.diagnostics.filter((d) => d.severity === "error").map((d) => d.code);
          if (errors.length) {
            expect(
              errors.every((c) => c === "NF4203" || c === "NF4204" || c === "NF4205"),
              errors.join(" "),
            ).toBe(true);
            rows.push(`${p.name}  refused ${errors.join(" ")}`);
            return;
          }
          const est = estimateObject(
            r.object!,
            r.c!,
            withNfLines(r.c!, `${r.manifest!.nf}.bpf.c`, `${p.name}.nf`),
          )!.estimate;
          const path = join(work, `${p.name}.bpf.o`);
          writeFileSync(path, r.object!);
          const runner = KernelRunner.start();
          try {
            await runner.open(path);
            const loaded = await runner.load(p.name);
            const got = loaded.ok
              ? `verified ${loaded.programs[0]!.verified_insns}`
              : `REJECTED ${loaded.verifierLog.split("\n").slice(-2).join(" ")}`;
            rows.push(`${p.name}  ${est.verified} ${est.pending} ${est.jump}  ${got}`);
            expect(loaded.ok, got).toBe(true);
            if (loaded.ok) expect(loaded.programs[0]!.verified_insns).toBeLessThanOrEqual(est.verified);
          } finally {
            await runner.close();
          }
        },
        240_000,
      );
    }
  },
);
