// The manifest: layouts with byte order, kernel names, pin paths, a schema hash that tracks
// layouts only; and determinism of C and manifest.
import { describe, expect, test } from "vitest";
import { heavyHitter, tables } from "./codegen/__fixtures__/programs.js";
import { readFileSync } from "node:fs";
import { checkSource } from "../lang/index.js";
import { canonicalJson, manifestJson } from "./manifest.js";
import { generate } from "./pipeline.js";

describe("manifest", () => {
  const m = generate(heavyHitter()).manifest!;

  test("describes the program and its maps", () => {
    expect(m.nf).toBe("heavy_hitter");
    expect(m.runtime).toBe("bpf");
    expect(m.programs).toEqual([{ section: "xdp", function: "heavy_hitter_prog" }]);
    expect(m.maps.map((x) => [x.name, x.map_type, x.max_entries])).toEqual([
      ["flows", "BPF_MAP_TYPE_ARRAY", 32],
      ["blocked", "BPF_MAP_TYPE_HASH", 65536],
      ["counters", "BPF_MAP_TYPE_PERCPU_ARRAY", 1],
    ]);
    expect(m.maps[1]!.pin_path).toBe("/sys/fs/bpf/nfc/heavy_hitter/blocked");
  });

  test("key layouts carry byte order (ip4 network, flow5 ports as on the wire)", () => {
    expect(m.maps[1]!.key).toEqual({
      size: 4,
      ctype: "__be32",
      fields: [{ name: "key", offset: 0, size: 4, type: "ip4", order: "network" }],
    });
    const cells = m.maps[0]!;
    expect(cells.params).toMatchObject({ rows: 4, width: 65536, chunk: 8192, per_cpu: false });
    expect(cells.params.seed).toMatch(/^0x[0-9a-f]{16}$/);
    expect(cells.value.size).toBe(8192 * 4);
  });

  test("configs and counters", () => {
    expect(m.configs).toEqual([
      { name: "threshold", symbol: "threshold", type: "u32", size: 4, default: 10000 },
    ]);
    expect(m.counters).toEqual([
      { name: "dropped", offset: 0, map: "counters" },
      { name: "passed", offset: 8, map: "counters" },
    ]);
  });

  test("long map names keep their C name and report the truncated kernel name", () => {
    const t = generate(tables()).manifest!;
    const lru = t.maps.find((x) => x.name === "recent_sources_table")!;
    expect(lru.kernel_name).toBe("recent_sources_");
    expect(lru.map_type).toBe("BPF_MAP_TYPE_LRU_HASH");
    const lpm = t.maps.find((x) => x.name === "routes")!;
    expect(lpm.flags).toEqual(["BPF_F_NO_PREALLOC"]);
    expect(lpm.key.size).toBe(8);
    const stats = t.maps.find((x) => x.name === "per_src")!.value;
    expect(stats.fields.map((f) => [f.name, f.offset, f.size])).toEqual([
      ["packets", 0, 8],
      ["last_ttl", 8, 1],
      ["_pad0", 9, 3],
      ["src", 12, 4],
    ]);
  });

  test("schema hash changes with a layout, not with code", () => {
    const p = heavyHitter();
    const same = heavyHitter();
    same.handler = same.handler.slice(0, 1);
    expect(generate(same).manifest!.schema_hash).toBe(m.schema_hash);
    p.states[1]!.params.capacity = 1024;
    expect(generate(p).manifest!.schema_hash).not.toBe(m.schema_hash);
  });

  test("canonical JSON sorts keys", () => {
    expect(canonicalJson({ b: 1, a: { d: 2, c: [3, { f: 1, e: 0 }] } })).toBe(
      '{"a":{"c":[3,{"e":0,"f":1}],"d":2},"b":1}',
    );
  });
});

describe("sketch exports", () => {
  test("the author's `export` arguments are in the manifest, outside the schema hash", () => {
    const src = readFileSync(new URL("../examples/topk_report.nf", import.meta.url), "utf8");
    const m = generate(checkSource(src, "topk_report.nf").program!).manifest!;
    expect(m.exports).toEqual([{ sketch: "talkers", kind: "topk", keys: [] }]);
    const more = src.replace(
      "sketch talkers: topk<ip4>(k = 8, export)",
      "sketch talkers: topk<ip4>(k = 8)\nsketch hits: count_min<ip4>(rows = 2, width = 64, export = 10.0.0.1)",
    );
    const n = generate(checkSource(more, "topk_report.nf").program!).manifest!;
    expect(n.exports).toEqual([{ sketch: "hits", kind: "count_min", keys: ["10.0.0.1"] }]);
    const none = generate(checkSource(src.replace(", export)", ")"), "topk_report.nf").program!).manifest!;
    expect(none.exports).toBeUndefined();
    expect(none.schema_hash).toBe(m.schema_hash);
  });
});

describe("determinism", () => {
  test("compiling twice gives identical C and manifest", () => {
    for (const mk of [heavyHitter, tables]) {
      const p = mk();
      const a = generate(p);
      const b = generate(p);
      expect(a.c).toBe(b.c);
      expect(manifestJson(a.manifest!)).toBe(manifestJson(b.manifest!));
    }
  });
});
