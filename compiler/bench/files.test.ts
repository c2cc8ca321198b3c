// `nfc bench` end to end on a tiny trace (kernel tier): exit codes, the table, --json and --svg.
// No timing thresholds: only structure (performance claims live in `npm run bench`).
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { run } from "../cli/main.js";
import { requireKernel } from "../kernel/testing.js";

function io(): { out: string[]; err: string[]; io: Parameters<typeof run>[1] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (s) => out.push(s), err: (s) => err.push(s), readStdin: () => "" } };
}

describe("nfc bench usage", () => {
  test("a bad count is a usage error (exit 2)", async () => {
    const t = io();
    expect(await run(["bench", "bench/nf/empty.nf", "--rounds", "x"], t.io)).toBe(2);
    expect(t.err.join("")).toMatch(/--rounds/);
  });
  test("an unreadable file is NF5013 (exit 2)", async () => {
    const t = io();
    expect(await run(["bench", "/nonexistent/x.nf", "--rounds", "1"], t.io)).toBe(2);
    expect(t.err.join("")).toMatch(/NF5013/);
  });
});

describe.runIf(requireKernel())("nfc bench (kernel)", () => {
  const dir = mkdtempSync(join(tmpdir(), "nfc-bench-cli-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test("measures two programs and writes JSON and SVG", { timeout: 120_000 }, async () => {
    const t = io();
    const json = join(dir, "r.json");
    const svg = join(dir, "r.svg");
    const code = await run(
      [
        "bench",
        "bench/nf/cms_2.nf",
        "bench/nf/bloom.nf",
        "--rounds",
        "2",
        "--flows",
        "30",
        "--packets",
        "120",
        "--single",
        "40",
        "--json",
        json,
        "--svg",
        svg,
      ],
      t.io,
    );
    expect(code, t.err.join("")).toBe(0);
    const table = t.out.join("");
    expect(table).toMatch(/bench\/nf\/cms_2\.nf\s+bpf\s+xdp/);
    expect(table).toMatch(/A\/A control/);
    const r = JSON.parse(readFileSync(json, "utf8")) as {
      programs: Array<{ file: string; many: number; single: number; size: { xlated: number } }>;
      options: { rounds: number };
    };
    expect(r.options.rounds).toBe(2);
    expect(r.programs.map((p) => p.file)).toEqual(["bench/nf/cms_2.nf", "bench/nf/bloom.nf"]);
    for (const p of r.programs) {
      expect(Number.isFinite(p.many) && Number.isFinite(p.single)).toBe(true);
      expect(p.size.xlated).toBeGreaterThan(10);
    }
    const s = readFileSync(svg, "utf8");
    expect(s.startsWith("<svg")).toBe(true);
    expect(s).toContain("cms_2.nf");
  });

  test(
    "a kmod object is measured only where nfc_runtime is loaded; otherwise the output says why",
    { timeout: 120_000 },
    async () => {
      const t = io();
      const json = join(dir, "k.json");
      const code = await run(
        [
          "bench",
          "examples/heavy_hitter.nf",
          "--rounds",
          "1",
          "--flows",
          "20",
          "--packets",
          "60",
          "--single",
          "20",
          "--json",
          json,
        ],
        t.io,
      );
      expect(code, t.err.join("")).toBe(0);
      const r = JSON.parse(readFileSync(json, "utf8")) as {
        programs: Array<{ runtime: string }>;
        notes: string[];
      };
      const loaded = existsSync("/sys/kernel/btf/nfc_runtime");
      expect(r.programs.map((p) => p.runtime)).toEqual(loaded ? ["bpf", "kmod"] : ["bpf"]);
      if (!loaded)
        expect(r.notes).toEqual([
          "examples/heavy_hitter.nf: kmod object heavy_hitter.kmod.bpf.o not measured: module nfc_runtime not loaded (/sys/kernel/btf/nfc_runtime absent) (time it on a machine that can load modules)",
        ]);
    },
  );
});
