// Kernel output in .nf terms: `#line` directives in the C clang compiles (line-map.ts) make BTF
// line info, `bpftool prog dump xlated linum` and verifier logs name .nf lines; a verifier
// rejection gets the span of the .nf line it blames.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { compile, stdlibInclude } from "../api.js";
import { KernelRunner } from "../kernel/runner.js";
import { requireKernel } from "../kernel/testing.js";
import { compileBpf } from "../toolchain/clang.js";
import { nfLineOfVerifierLog, verifierSpan, withNfLines } from "./line-map.js";

const work = mkdtempSync(join(tmpdir(), "nfc-linemap-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("withNfLines", () => {
  test("statement lines map to their .nf line, everything else back to the written C", () => {
    const c = [
      "#include <x.h>",
      "int f(void)",
      "{",
      "\t/* a.nf:3:5 */",
      "\tint x = 1;",
      "\tx++;",
      "\t/* a.nf:4:1 */",
      "\treturn x;",
      "}",
      "int y;",
    ].join("\n");
    expect(withNfLines(c, "a.bpf.c", "a.nf").split("\n")).toEqual([
      '#line 1 "a.bpf.c"',
      "#include <x.h>",
      "int f(void)",
      "{",
      "\t/* a.nf:3:5 */",
      '#line 3 "a.nf"',
      "\tint x = 1;",
      '#line 3 "a.nf"',
      "\tx++;",
      '#line 7 "a.bpf.c"',
      "\t/* a.nf:4:1 */",
      '#line 4 "a.nf"',
      "\treturn x;",
      '#line 9 "a.bpf.c"',
      "}",
      "int y;",
    ]);
  });

  test("comments naming another file, and quotes in names, are handled", () => {
    const c = ["/* other.nf:3:1 */", "int a;"].join("\n");
    expect(withNfLines(c, 'we"ird.bpf.c', "a.nf")).toBe(
      ['#line 1 "we\\"ird.bpf.c"', "/* other.nf:3:1 */", "int a;"].join("\n"),
    );
  });

  test("the verifier log's last line-info comment for the .nf file is the blamed line", () => {
    const log = [
      "0: R1=ctx()",
      "; if blocked.contains(ip.src) { @ fw.nf:14",
      "3: (61) r2 = *(u32 *)(r1 +0)",
      "; x @ fw.bpf.c:99",
      "; drop @ fw.nf:17",
      "invalid access to packet",
    ].join("\n");
    expect(nfLineOfVerifierLog(log, "fw.nf")).toBe(17);
    expect(nfLineOfVerifierLog(log, "other.nf")).toBeUndefined();
    const text = "nf fw on xdp\n".repeat(16) + "    drop\n";
    expect(verifierSpan(log, "dir/fw.nf", text)).toEqual({
      file: "dir/fw.nf",
      line: 17,
      col: 5,
      start: 16 * 13 + 4,
      end: 16 * 13 + 8,
    });
  });
});

const HH = "examples/heavy_hitter.nf";

describe.runIf(requireKernel())("the kernel sees .nf lines", () => {
  test("BTF line info of a built example names its .nf lines with their text", async () => {
    const source = readFileSync(HH, "utf8");
    const r = await compile({ file: HH, source });
    expect(r.object).toBeDefined();
    const obj = join(work, "heavy_hitter.bpf.o");
    writeFileSync(obj, r.object!);
    const k = KernelRunner.start();
    try {
      await k.open(obj);
      const loaded = await k.load("heavy_hitter");
      if (!loaded.ok) throw new Error(loaded.diagnostic.message);
      const id = loaded.programs[0]!.id;
      const dump = spawnSync("bpftool", ["prog", "dump", "xlated", "id", String(id), "linum"], {
        encoding: "utf8",
      }).stdout;
      const nfLines = new Set(
        [...dump.matchAll(/file:\S*heavy_hitter\.nf line_num:(\d+)/g)].map((m) => Number(m[1])),
      );
      const srcLines = source.split("\n");
      // every statement line of the handler that does work is named, with its own text
      for (const want of ["if blocked.contains(ip.src)", "blocked.insert(ip.src, now_ns())", "passed += 1"]) {
        const line = srcLines.findIndex((l) => l.includes(want)) + 1;
        expect(nfLines, want).toContain(line);
        expect(dump).toContain(`; ${srcLines[line - 1]!.trim()} [file:./heavy_hitter.nf line_num:${line} `);
      }
    } finally {
      await k.close();
    }
  });

  test("a verifier rejection (hand-edited C of a real program) is reported at its .nf line", async () => {
    // heavy_hitter's C, with an unchecked packet read put into the lowering of `dropped += 1`.
    const source = readFileSync(HH, "utf8");
    const r = await compile({ file: HH, source }, { emitObject: false });
    const line = source.split("\n").findIndex((l) => l.includes("dropped += 1")) + 1;
    const marker = `/* heavy_hitter.nf:${line}:`;
    const at = r.c!.indexOf(marker);
    expect(at).toBeGreaterThan(0);
    const eol = r.c!.indexOf("\n", at);
    const broken = `${r.c!.slice(0, eol + 1)}\tif (*(volatile __u8 *)(long)(ctx->data + 4000) == 7) return XDP_ABORTED;\n${r.c!.slice(eol + 1)}`;
    const built = compileBpf(withNfLines(broken, "heavy_hitter.bpf.c", "heavy_hitter.nf"), {
      name: "heavy_hitter",
      sourceName: "heavy_hitter.nf-lines.c",
      files: { "heavy_hitter.nf": source, "heavy_hitter.bpf.c": broken },
      includeDirs: [stdlibInclude()],
    });
    expect(built.diagnostics).toEqual([]);
    const obj = join(work, "broken.bpf.o");
    writeFileSync(obj, built.object!);
    const k = KernelRunner.start();
    try {
      await k.open(obj);
      const loaded = await k.load("heavy_hitter", { file: HH, text: source });
      expect(loaded.ok).toBe(false);
      if (loaded.ok) return;
      expect(loaded.diagnostic.code).toBe("NF5009");
      expect(loaded.diagnostic.span).toMatchObject({
        file: HH,
        line,
        col: source.split("\n")[line - 1]!.indexOf("dropped") + 1,
      });
      expect(loaded.diagnostic.message).toMatch(/prohibited|invalid access to packet/);
      expect(loaded.verifierLog).toContain(`dropped += 1 @ heavy_hitter.nf:${line}`);
    } finally {
      await k.close();
    }
  });
});
