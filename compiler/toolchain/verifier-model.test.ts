// The verifier model: its arithmetic on a hand-written disassembly, and NF4203/NF4204/NF4205 with
// their spans on real programs (clang and llvm-objdump; the kernel calibration is
// test/verifier-model.test.ts).
import { describe, expect, test } from "vitest";
import { unmark } from "../../lang/check/test-util.js";
import { compile } from "../api.js";
import {
  deepestStack,
  estimate,
  loopsOfC,
  parseObjdump,
  PATCH_PER_CALL,
  presumedLines,
  STDLIB_FACTOR,
  stdlibLoops,
  verifierLimits,
  VERIFY_FACTOR,
  type Insn,
} from "./verifier-model.js";

const C = [
  "int f(void)",
  "{",
  "\t/* t.nf:3:3 */",
  "\tfor (__u32 i_1 = 0; i_1 < 100; i_1++) {",
  "\t\t/* t.nf:4:5 */",
  "\t\tg(i_1);",
  "\t}",
  "\t/* t.nf:6:3 */",
  "\treturn 2;",
  "}",
].join("\n");
const COMPILED = `#line 1 "t.bpf.c"\n${C.split("\n").slice(0, 3).join("\n")}\n#line 3 "t.nf"\n${C.split("\n")[3]}\n${C.split("\n")[4]}\n#line 4 "t.nf"\n${C.split("\n").slice(5, 7).join("\n")}\n#line 8 "t.bpf.c"\n${C.split("\n").slice(7).join("\n")}`;
const DIS = `
0000000000000000 <f>:
; ././t.bpf.c:2
       0:	r6 = 0
; ././t.nf:4
       1:	r1 = r6
       2:	call 1
       3:	if r0 == 0x0 goto +0x1 <f+0x28>
       4:	r6 += 1
; ././t.nf:3
       5:	if r6 != 0x64 goto -0x6 <f+0x8>
; ././t.bpf.c:9
       6:	r0 = 2
       7:	exit
`;

describe("verifier model arithmetic", () => {
  test("a kept loop multiplies its instructions and branches by its trip count", () => {
    const loops = loopsOfC(C, presumedLines(COMPILED));
    expect(loops.map((l) => [l.first, l.last, l.trip, l.at])).toEqual([[4, 7, 100, { line: 3, col: 3 }]]);
    const insns = parseObjdump(DIS);
    expect(insns.map((x) => x.target).filter((t) => t !== undefined)).toEqual([5, 0 + 1]);
    const e = estimate(insns, loops);
    expect(e.loops.map((l) => [l.from, l.to, l.kept])).toEqual([[1, 5, true]]);
    // 3 instructions outside, 5 inside x 100
    expect(e.verified).toBe(VERIFY_FACTOR * (3 + 5 * 100));
    // 2 conditional jumps per iteration, less the loop's own (decided) test
    expect(e.pending).toBe(2 * 100 - 100);
    // the back edge crosses the call at 2: 5 instructions + one call's patch
    expect(e.jump).toBe(5 - 1 + PATCH_PER_CALL);
  });
});

async function codes(source: string): Promise<string[]> {
  const r = await compile({ file: "t.nf", source }, { werror: true });
  return r.diagnostics.map((d) => `${d.code}@${d.span?.line}:${d.span?.col}`);
}

describe("NF4203 / NF4204 / NF4205", () => {
  test("a 64 x 1024 nest of estimates: NF4203 and NF4204 at the outer loop", async () => {
    const m = unmark(
      "nf t on xdp\nsketch s: count_min<u32>(rows = 8, width = 1024)\ncounter c\non packet {\n  let ip = ipv4 else { pass }\n  ⟦for⟧ i in 0..64 {\n    for j in 0..1024 { if s.estimate(i + j) > 3 { c += 1 } }\n  }\n  pass\n}\n",
    );
    expect(await codes(m.source)).toEqual([`NF4203@${m.line}:${m.col}`, `NF4204@${m.line}:${m.col}`]);
  }, 60_000);

  test("a 1024-iteration loop of two operations is within the model", async () => {
    const src =
      "nf t on xdp\nsketch s: count_min<u32>(rows = 4, width = 1024)\ntable t: hash<u32, u64>(capacity = 1024)\non packet {\n  let ip = ipv4 else { pass }\n  for i in 0..1024 { s.add(i, 1); t.add(i, 1) }\n  pass\n}\n";
    expect(await codes(src)).toEqual([]);
  }, 60_000);

  test("NF4205 at the first statement out of the longest jump's reach", () => {
    // an exit at 0 jumping to 40000; the statement of line 9 starts at 33000
    const insns: Insn[] = [
      { idx: 0, cond: true, call: false, target: 40000, loc: "t.nf:3" },
      { idx: 1, cond: false, call: false, loc: "t.nf:4" },
      { idx: 33000, cond: false, call: false, loc: "t.nf:9" },
      { idx: 40000, cond: false, call: false, loc: "t.bpf.c:20" },
    ];
    const c = "\t/* t.nf:3:3 */\n\t/* t.nf:4:3 */\n\t/* t.nf:9:7 */\n";
    const e = estimate(insns, []);
    expect(e.jump).toBe(40000);
    const span = (at?: { line: number; col: number }) => ({
      file: "t.nf",
      start: 0,
      end: 1,
      line: at?.line ?? 0,
      col: at?.col ?? 0,
    });
    expect(
      verifierLimits(e, insns, c, "t.nf", span).map((d) => `${d.code}@${d.span?.line}:${d.span?.col}`),
    ).toEqual(["NF4205@9:7"]);
  });

  test("F22: a v4 object's `gotol` is a jump; with clang's range error the longest jump is NF4205 anyway", () => {
    const dis = `
0000000000000000 <f>:
; ././t.nf:3
       0:	if r1 == 0x0 goto +0x1 <f+0x10>
       1:	gotol +0x7d00 <f+0x3e810>
; ././t.nf:9
       2:	r0 = 1
`;
    const insns = parseObjdump(dis);
    expect(insns.map((x) => x.target)).toEqual([2, 1 + 1 + 0x7d00, undefined]);
    const e = estimate(insns, []);
    expect(e.jump).toBe(0x7d00 + 1); // 32001: within the model's range, but clang said no
    const c = "\t/* t.nf:3:3 */\n\t/* t.nf:9:7 */\n";
    const span = (at?: { line: number; col: number }) => ({
      file: "t.nf",
      start: 0,
      end: 1,
      line: at?.line ?? 0,
      col: at?.col ?? 0,
    });
    expect(verifierLimits(e, insns, c, "t.nf", span).map((d) => d.code)).toEqual([]);
    expect(
      verifierLimits(e, insns, c, "t.nf", span, true).map((d) => `${d.code}@${d.span?.line}:${d.span?.col}`),
    ).toEqual(["NF4205@9:7"]);
  });

  test("F10: a stdlib scan (topk.h) counts k iterations, read from the helper calls", () => {
    const dis = `
0000000000000000 <f>:
; ././t.nf:4
       0:	r1 = 0
; ./stdlib/include/nf/topk.h:77
       1:	r1 += 1
       2:	if r1 != 0x100 goto -0x2 <f+0x8>
; ././t.nf:5
       3:	r0 = 1
`;
    const insns = parseObjdump(dis);
    const c = "\tnf_cnt = nf_topk_add(nf_val, 256, 8, 4, &nf_key, 1);\n";
    const loops = stdlibLoops(insns, c);
    expect(loops.map((l) => [l.range, l.trip])).toEqual([[{ from: 1, to: 2 }, 256]]);
    const e = estimate(insns, loops);
    expect(e.verified).toBe(VERIFY_FACTOR * 2 + STDLIB_FACTOR * 2 * 256);
    expect(e.pending).toBe(256 / 4); // a quarter of a scan's conditional jumps stay pending
  });

  test("F16: the deepest r10 access, at a handler statement rather than the prologue", () => {
    const dis = `
0000000000000000 <f>:
; ././t.nf:2
       0:\t*(u64 *)(r10 - 0x208) = r1
; ././t.nf:7
       1:\tr2 = r10
       2:\tr2 += -0x208
; ././t.nf:9
       3:\tr3 = *(u32 *)(r10 - 0x10)
`;
    expect(deepestStack(dis)).toEqual({ bytes: 0x208, loc: "t.nf:2" });
    expect(deepestStack(dis, "t.nf", 5)).toEqual({ bytes: 0x208, loc: "t.nf:7" });
  });
});
