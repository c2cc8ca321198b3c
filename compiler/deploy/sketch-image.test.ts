// Sketch images (sketch-image.ts) without a kernel: every kind filled by the interpreter from two
// disjoint traces, dumped, merged — must equal exactly the image of one sketch fed the joined
// trace (count-min/count sketch/nitro add, bloom OR, hll max, top-k merge), and per-CPU shards
// merge to the shared answer. Different geometry, seed or kind is NF6022; a non-dump NF6023.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { checkSource } from "../../lang/index.js";
import { structureSeed } from "../../lang/hash.js";
import type { CountMinStore } from "../../lang/interp/kinds/count-min.js";
import { createInterpreter, type Interpreter } from "../../lang/interp/index.js";
import { compile } from "../api.js";
import type { ManifestMap } from "../manifest.js";
import { DeployError } from "./errors.js";
import { contains, distinct, estimate, mergeImages, shardImage, type SketchImage } from "./sketch-image.js";
import { answer, mergeFiles } from "./sketch.js";
import { interpImage as image } from "./sketch-testing.js";

const SRC = (w = 256): string => `nf skm on xdp
sketch cm: count_min<ip4>(rows = 4, width = ${w})
sketch cmp: count_min<ip4>(rows = 3, width = 64, per_cpu)
sketch cs: count_sketch<ip4>(rows = 5, width = 128)
sketch ni: nitro<ip4>(rows = 3, width = 128, one_in = 1)
sketch bl: bloom<ip4>(bits = 1024, hashes = 3)
sketch hl: hll<ip4>(precision = 6, groups = 2, per_cpu)
sketch tk: topk<ip4>(k = 16)
on packet {
  let ip = ipv4 else { pass }
  cm.add(ip.src)
  cmp.add(ip.src)
  cs.add(ip.src)
  ni.add(ip.src)
  bl.insert(ip.src)
  hl.add(ip.src, ip.dst as u32)
  tk.add(ip.src)
  pass
}
`;

const NAMES = ["cm", "cmp", "cs", "ni", "bl", "hl", "tk"];

async function manifestMaps(src: string): Promise<Record<string, ManifestMap>> {
  const r = await compile({ file: "skm.nf", source: src }, { emitObject: false });
  expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return Object.fromEntries(r.manifest!.maps.map((m) => [m.name, m]));
}

const ip = (i: number): Uint8Array => new Uint8Array([10, 0, i >> 8, i & 255]);

/** Feeds (key index, cpu) pairs to every sketch of an interpreter with `cpus` CPUs. */
function fill(trace: Array<[number, number]>, cpus = 2): Interpreter {
  const it = createInterpreter(checkSource(SRC(), "skm.nf").program!, { cpus });
  const n = new Uint8Array([1, 0, 0, 0]);
  for (const [i, cpu] of trace) {
    const key = ip(i);
    (it.sketches.cm as { add(k: Uint8Array, n: number, c: number): void }).add(key, 1, cpu);
    (it.sketches.cmp as { add(k: Uint8Array, n: number, c: number): void }).add(key, 1, cpu);
    (it.sketches.bl as { insert(k: Uint8Array, c: number): void }).insert(key, cpu);
    for (const s of ["cs", "ni", "tk"]) it.stores[s]!.op("add", [key, n], cpu);
    it.stores.hl!.op("add", [key, new Uint8Array([i & 1, 0, 0, 0])], cpu);
  }
  return it;
}

const trace = (from: number, n: number, distinctKeys: number): Array<[number, number]> =>
  Array.from({ length: n }, (_, i) => [from + ((i * 7) % distinctKeys), i % 2]);

describe("sketch images: merge and queries", () => {
  test("disjoint traces merge to exactly the sketch of the joined trace, every kind", async () => {
    const maps = await manifestMaps(SRC());
    const t1 = trace(0, 300, 6);
    const t2 = trace(6, 200, 5); // 11 distinct keys in all: the 16-slot top-k never evicts
    const a = fill(t1);
    const b = fill(t2);
    const joined = fill([...t1, ...t2]);
    for (const name of NAMES) {
      const m = maps[name]!;
      const merged = mergeImages([image(a, m), image(b, m)]);
      const whole = image(joined, m);
      expect({ ...merged, shards: 0 }, name).toEqual({ ...whole, shards: 0 });
    }
    // Queries on the merged image equal the interpreter's own answers on the joined sketch.
    const mg = (n: string): SketchImage => mergeImages([image(a, maps[n]!), image(b, maps[n]!)]);
    for (let i = 0; i < 14; i++) {
      expect(estimate(mg("cm"), ip(i))).toBe((joined.sketches.cm as CountMinStore).estimate(ip(i)) as number);
      expect(estimate(mg("cmp"), ip(i))).toBe(
        (joined.sketches.cmp as CountMinStore).estimate(ip(i)) as number,
      );
      expect(BigInt(estimate(mg("cs"), ip(i)))).toBe(joined.stores.cs!.op("estimate", [ip(i)], 0));
      expect(BigInt(estimate(mg("ni"), ip(i)))).toBe(joined.stores.ni!.op("estimate", [ip(i)], 0));
      expect(BigInt(estimate(mg("tk"), ip(i)))).toBe(joined.stores.tk!.op("count", [ip(i)], 0));
      expect(contains(mg("bl"), ip(i))).toBe(i < 11);
    }
    // hll per-CPU: the union's count equals a shared hll fed everything (CPU 0 of a 1-CPU run).
    const one = fill(
      [...t1, ...t2].map(([k]) => [k, 0]),
      1,
    );
    for (const g of [0, 1])
      expect(BigInt(distinct(mg("hl"), g))).toBe(
        one.stores.hl!.op("estimate", [new Uint8Array([g, 0, 0, 0])], 0),
      );
    expect(maps.cs!.params.seed).toBe(`0x${structureSeed("cs").toString(16).padStart(16, "0")}`);
  });

  test("answers: estimate, contains, top, count by kind; wrong query NF6019", async () => {
    const maps = await manifestMaps(SRC());
    const it = fill(trace(0, 90, 3));
    expect(answer(image(it, maps.cm!), { op: "estimate", key: "10.0.0.1" }).json).toEqual({
      key: "10.0.0.1",
      estimate: 30,
    });
    expect(answer(image(it, maps.bl!), { op: "contains", key: "10.0.0.9" }).text).toBe("10.0.0.9 absent\n");
    expect(answer(image(it, maps.tk!), { op: "top", n: 2 }).text).toBe("10.0.0.0 30\n10.0.0.1 30\n");
    expect(answer(image(it, maps.hl!), { op: "count", group: "0" }).json).toEqual({ group: 0, distinct: 2 });
    expect(code(() => answer(image(it, maps.bl!), { op: "estimate", key: "10.0.0.1" }))).toMatch(
      /^NF6019 `bl` is a bloom sketch: it answers contains, dump, not estimate/,
    );
    expect(code(() => answer(image(it, maps.cm!), { op: "estimate", key: "10.0.0" }))).toMatch(/^NF6010/);
  });

  test("merge files: refuses different geometry, seed or kind (NF6022) and non-dumps (NF6023)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "nfc-merge-"));
    const maps = await manifestMaps(SRC());
    const wide = await manifestMaps(SRC(512));
    const it = fill(trace(0, 10, 3));
    const write = (f: string, v: unknown): string => {
      writeFileSync(join(dir, f), JSON.stringify(v));
      return join(dir, f);
    };
    const a = write("a.json", image(it, maps.cm!));
    const b = write("b.json", image(it, maps.cm!));
    expect(mergeFiles([a, b]).cells!.reduce((s, x) => s + x, 0)).toBe(2 * 4 * 10);
    const w = write("w.json", shardImage(wide.cm!, new Uint8Array(4 * 4 * 512)));
    expect(code(() => mergeFiles([a, w]))).toMatch(
      /^NF6022 `.*a\.json` and `.*w\.json` are not the same sketch: width 256 vs 512/,
    );
    const other = write("o.json", {
      ...image(it, maps.cm!),
      geometry: { ...image(it, maps.cm!).geometry, seed: "0x1" },
    });
    expect(code(() => mergeFiles([a, other]))).toMatch(/NF6022 .*: seed 0x[0-9a-f]+ vs 0x1/);
    const cs = write("cs.json", image(it, maps.cs!));
    expect(code(() => mergeFiles([a, cs]))).toMatch(/NF6022 .*: kind count_min vs count_sketch/);
    const junk = write("junk.json", { hello: 1 });
    expect(code(() => mergeFiles([a, junk]))).toMatch(/^NF6023 `.*junk\.json`: not an `nfc sketch/);
    expect(code(() => mergeFiles([join(dir, "missing.json")]))).toMatch(/^NF6023 .*missing\.json/);
  });
});

function code(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof DeployError) return `${e.diagnostic.code} ${e.diagnostic.message}`;
    throw e;
  }
  return "no error";
}
