// The kmod backend: per-operation choice (reasons), both objects under `auto`, the kmod C (one
// fused kfunc call per operation, the contract header), and the manifest describing both.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { checkSource } from "../../lang/index.js";
import { compile } from "../api.js";
import { chooseBackends, explainLines } from "./choice.js";

const EX = join(import.meta.dirname, "..", "..", "examples");
const src = (n: string) => ({ file: `${n}.nf`, source: readFileSync(join(EX, `${n}.nf`), "utf8") });
const checked = (source: string) => {
  const r = checkSource(source, "t.nf");
  expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return r.program!;
};
const cms = (rows: number, width: number, perCpu = false) => `nf t on xdp
sketch s: count_min<ip4>(rows = ${rows}, width = ${width}${perCpu ? ", per_cpu" : ""})
on packet {
  let ip = ipv4 else { pass }
  s.add(ip.src, 1)
  if s.estimate(ip.src) > 10 { drop }
  pass
}
`;

describe("backend choice", () => {
  test("heavy_hitter: count_min (4 rows) → kmod, hash table → bpf", () => {
    const c = chooseBackends(checked(src("heavy_hitter").source), "auto");
    expect(c.ops.map((o) => [o.structure, o.op, o.backend])).toEqual([
      ["blocked", "contains", "bpf"],
      ["flows", "add", "kmod"],
      ["flows", "estimate", "kmod"],
      ["blocked", "insert", "bpf"],
    ]);
    expect(c.ops[0]!.reason).toMatch(/no kfunc pays/);
    expect(c.ops[1]!.reason).toMatch(/fused 4-row/);
    expect([...c.kmodStates]).toEqual(["flows"]);
  });
  test("rows < 4 → bpf with the fixed-cost reason; --runtime kmod forces it; bpf forces pure", () => {
    const p = checked(cms(2, 1024));
    expect(chooseBackends(p, "auto").ops.map((o) => o.backend)).toEqual(["bpf", "bpf"]);
    expect(chooseBackends(p, "auto").ops[0]!.reason).toMatch(/fixed cost/);
    expect(chooseBackends(p, "kmod").ops.map((o) => [o.backend, o.reason])).toEqual([
      ["kmod", "forced by --runtime kmod"],
      ["kmod", "forced by --runtime kmod"],
    ]);
    expect(chooseBackends(checked(cms(8, 1024)), "bpf").ops.map((o) => o.backend)).toEqual(["bpf", "bpf"]);
  });
  test("a per_cpu sketch above the 32 KiB PERCPU value limit stays pure even when forced", () => {
    const c = chooseBackends(checked(cms(8, 2048, true)), "kmod");
    expect(c.ops[0]!.backend).toBe("bpf");
    expect(c.ops[0]!.reason).toMatch(
      /65536 bytes of cells exceed the single PERCPU_ARRAY value limit \(32768\)/,
    );
    expect(chooseBackends(checked(cms(8, 1024, true)), "auto").ops[0]!.backend).toBe("kmod");
  });
  test("explain lines: span, structure, operation, backend, reason", () => {
    const lines = explainLines("syn_guard.nf", chooseBackends(checked(src("syn_guard").source), "auto"));
    expect(
      lines.filter((l) => l.includes("verified (bloom)") && l.includes("→ kmod: fused 4-bit hash+")),
    ).toHaveLength(2);
    expect(lines.some((l) => l.includes("contains  → kmod: fused 4-bit hash+test"))).toBe(true);
    expect(lines.every((l) => /^syn_guard\.nf:\d+:\d+ {2}\w+ \(\w+\) {2}\w+ {2}→ (bpf|kmod): /.test(l))).toBe(
      true,
    );
  });
});

describe("objects", () => {
  test("auto builds the pure and the kmod object; the kmod C calls one fused kfunc per operation", async () => {
    const r = await compile(src("heavy_hitter"), { runtime: "auto" });
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const k = r.objects!.kmod!;
    const p = r.objects!.bpf!;
    expect([p.file, k.file]).toEqual(["heavy_hitter.bpf.o", "heavy_hitter.kmod.bpf.o"]);
    expect(p.object!.length).toBeGreaterThan(0);
    expect(k.object!.length).toBeGreaterThan(0);
    expect(k.c).toContain('#include "nfc_runtime.h"');
    expect(k.c.match(/nfc_rt_cms_add\(/g)).toHaveLength(1);
    expect(k.c.match(/nfc_rt_cms_estimate\(/g)).toHaveLength(1);
    expect(k.c).not.toContain("nf_cms_add");
    expect(p.c).not.toContain("nfc_rt_");
    expect(k.c).toContain("sk_"); // the shape struct
    expect(k.c).toMatch(/\.flags = NFC_RT_SK_ATOMIC;/);
    // manifest: the kmod map is one entry of rows*width cells, same seed as the pure one
    const km = k.manifest.maps.find((m) => m.name === "flows")!;
    const pm = p.manifest.maps.find((m) => m.name === "flows")!;
    expect([km.max_entries, km.value.size, km.params.cells, km.params.layout]).toEqual([
      1,
      4 * 4 * 65536,
      4 * 65536,
      "kmod_single_entry",
    ]);
    expect(km.params.seed).toBe(pm.params.seed);
    expect([k.manifest.runtime, k.manifest.requires_abi, p.manifest.runtime]).toEqual(["kmod", 3, "bpf"]);
    expect(r.manifest!.objects!.map((o) => [o.file, o.runtime, o.requires_abi ?? null])).toEqual([
      ["heavy_hitter.bpf.o", "bpf", null],
      ["heavy_hitter.kmod.bpf.o", "kmod", 3],
    ]);
    expect(r.manifest!.objects![1]!.operations.filter((o) => o.backend === "kmod").map((o) => o.op)).toEqual([
      "add",
      "estimate",
    ]);
  });
  test("syn_guard kmod: bloom through nfc_rt_bloom_add / nfc_rt_bloom_test on one entry of bits/64 words", async () => {
    const r = await compile(src("syn_guard"), { runtime: "kmod" });
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(Object.keys(r.objects!)).toEqual(["kmod"]);
    const k = r.objects!.kmod!;
    expect(k.c.match(/nfc_rt_bloom_add\(/g)).toHaveLength(1);
    expect(k.c.match(/nfc_rt_bloom_test\(/g)).toHaveLength(1);
    const m = k.manifest.maps.find((x) => x.name === "verified")!;
    expect([m.max_entries, m.value.size, m.params.words]).toEqual([1, 1048576 / 8, 1048576 / 64]);
  });
  test("auto without a kmod operation builds only the pure object", async () => {
    const r = await compile(src("firewall"), { runtime: "auto", emitObject: false });
    expect(Object.keys(r.objects!)).toEqual(["bpf"]);
  });
});

describe("nfc build --explain", () => {
  test("prints one line per operation with the backend and reason; auto writes both objects", async () => {
    const { run } = await import("../cli/main.js");
    const { mkdtempSync, readdirSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const out = mkdtempSync(join(tmpdir(), "nfc-explain-"));
    let stdout = "";
    const code = await run(["build", join(EX, "heavy_hitter.nf"), "-o", out, "--explain", "--no-object"], {
      out: (s) => (stdout += s),
      err: () => undefined,
      readStdin: () => "",
    });
    expect(code).toBe(0);
    const lines = stdout.split("\n").filter((l) => l.startsWith("heavy_hitter.nf:"));
    expect(lines.map((l) => l.replace(/: .*/, "").replace(/^heavy_hitter\.nf:\d+:\d+ +/, ""))).toEqual([
      "blocked (hash)  contains  → bpf",
      "flows (count_min)  add  → kmod",
      "flows (count_min)  estimate  → kmod",
      "blocked (hash)  insert  → bpf",
    ]);
    expect(readdirSync(out).sort()).toEqual([
      "heavy_hitter.bpf.c",
      "heavy_hitter.kmod.bpf.c",
      "heavy_hitter.manifest.json",
    ]);
  });
});

describe("mixed kmod object (test/vm/sk_echo.nf)", () => {
  test("2-row sketch stays pure inside the kmod object; per_cpu sketch has no ATOMIC flag", async () => {
    const f = join(import.meta.dirname, "..", "..", "test", "vm", "sk_echo.nf");
    const r = await compile(
      { file: "sk_echo.nf", source: readFileSync(f, "utf8") },
      { runtime: "auto", emitObject: false },
    );
    const k = r.objects!.kmod!.c;
    expect(k.match(/nfc_rt_cms_add\(/g)).toHaveLength(2); // c8, p4
    expect(k.match(/nf_cms_add\(/g)).toHaveLength(1); // c2
    expect(k.match(/NFC_RT_SK_ATOMIC/g)).toHaveLength(4); // c8 add/estimate, b6 contains/insert
    expect(r.explain!.filter((o) => o.structure === "c2").map((o) => o.backend)).toEqual(["bpf", "bpf"]);
  });
});
