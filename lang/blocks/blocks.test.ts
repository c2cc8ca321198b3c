// The registry's own rules: derived sizes, power-of-two helpers, and the shape every entry must
// have so the checker can validate any kind from its entry alone.
import { describe, expect, test } from "vitest";
import { bloomFromRate } from "./bloom.js";
import { countMinFromError } from "./count-min.js";
import { BLOCKS, findBlock, isPow2, nearestPow2, nextPow2 } from "./index.js";

describe("derived parameters", () => {
  test("count_min: width = next pow2 of ceil(e/epsilon), rows = ceil(ln(1/delta))", () => {
    expect(countMinFromError(0.0001, 0.01)).toEqual({ width: 32768, rows: 5 });
    expect(countMinFromError(0.01, 0.5)).toEqual({ width: 512, rows: 1 });
    expect(findBlock("count_min")!.derive({ epsilon: 0.001, delta: 0.01, per_cpu: true })).toEqual({
      rows: 5,
      width: 4096,
      per_cpu: true,
    });
  });

  test("bloom: bits = next pow2 of -n ln p / ln2^2, hashes = round(bits/n ln 2) within 1..16", () => {
    expect(bloomFromRate(1000, 0.01)).toEqual({ bits: 16384, hashes: 11 });
    expect(bloomFromRate(1 << 20, 0.5)).toEqual({ bits: 2097152, hashes: 1 });
    expect(bloomFromRate(10, 1e-9).hashes).toBe(16);
  });

  test("powers of two", () => {
    expect([1, 2, 1024, 2 ** 31].map(isPow2)).toEqual([true, true, true, true]);
    expect([0, 3, 1000, 1.5].map(isPow2)).toEqual([false, false, false, false]);
    expect([nextPow2(1000), nearestPow2(1000), nearestPow2(3000), nearestPow2(1)]).toEqual([
      1024, 1024, 2048, 1,
    ]);
  });
});

describe("registry entries", () => {
  test("names are unique and the fifteen kinds are present, by family", () => {
    expect(BLOCKS.map((b) => `${b.family} ${b.name}`)).toEqual([
      "table array",
      "table hash",
      "table lru",
      "table lpm",
      "table cuckoo",
      "table ordered",
      "sketch count_min",
      "sketch count_sketch",
      "sketch nitro",
      "sketch bloom",
      "sketch topk",
      "sketch hll",
      "queue fifo",
      "queue pq",
      "queue timer_wheel",
    ]);
  });

  test("every form names declared parameters; every kind accepts per_cpu", () => {
    for (const b of BLOCKS) {
      const names = b.params.map((p) => p.name);
      for (const f of b.forms) for (const p of f) expect(names, `${b.name}.${p}`).toContain(p);
      expect(names, b.name).toContain("per_cpu");
    }
  });

  test("lpm: lookups only in the datapath; keys ip4/ip6", () => {
    const lpm = findBlock("lpm")!;
    expect(Object.entries(lpm.ops).map(([n, o]) => [n, o.datapath])).toEqual([
      ["get", true],
      ["contains", true],
      ["insert", false],
      ["update", false],
      ["remove", false],
    ]);
    expect(lpm.checkKey!({ kind: "ip6" })).toBeUndefined();
    expect(lpm.checkKey!({ kind: "int", bits: 32 })).toBe("`ip4` or `ip6`");
  });

  test("table add needs an integer value; count_min n defaults to 1", () => {
    expect(findBlock("hash")!.ops.add!.needsIntValue).toBe(true);
    expect(findBlock("count_min")!.ops.add!.params.map((p) => [p.name, p.default])).toEqual([
      ["key", undefined],
      ["n", 1n],
    ]);
  });
});
