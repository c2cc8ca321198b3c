// nitro: the block definition (p / one_in), the gap stream against runtime-kmod's geo selftest
// vectors (nfc_rt_geo_skip_of), stdlib nf/nitro.h's table, and sampled updates.
import type { KindName } from "../../blocks/index.js";
import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { findBlock } from "../../blocks/index.js";
import { checkSource } from "../../index.js";
import { nitroOneIn } from "../../blocks/nitro.js";
import { nfHash64, structureSeed } from "../../hash.js";
import { writeUint } from "../layout.js";
import type { StateDecl } from "../../checked.js";
import { U32 } from "../../types.js";
import { fmix64 } from "./count-sketch.js";
import { STORES } from "./index.js";
import { geoSkipOf, nitroATable, nitroGap, NITRO_POOL, nitroR, type NitroStore } from "./nitro.js";

const u32 = (n: number): Uint8Array => {
  const b = new Uint8Array(4);
  writeUint(b, 0, 4, BigInt(n >>> 0), false);
  return b;
};
const span = { start: 0, end: 0, line: 1, col: 1, file: "t.nf" } as unknown as StateDecl["span"];
const csDecl = (kind: KindName, name: string, params: StateDecl["params"]): StateDecl => ({
  name,
  family: "sketch",
  kind,
  key: U32,
  params,
  span,
});
function nitro(rows: number, width: number, oneIn: number, perCpu = false, cpus = 2): NitroStore {
  const d = csDecl("nitro", "nt", { rows, width, one_in: oneIn, per_cpu: perCpu });
  return STORES.nitro!(d, { cpus, backend: "bpf" }) as NitroStore;
}
const add = (s: NitroStore, k: number, n: number, cpu = 0) => s.op("add", [u32(k), u32(n)], cpu);
const est = (s: NitroStore, k: number, cpu = 0) => s.op("estimate", [u32(k)], cpu);

describe("nitro block", () => {
  test("p or one_in, canonical one_in", () => {
    const b = findBlock("nitro")!;
    expect(b.params.map((p) => p.name)).toEqual(["rows", "width", "p", "one_in", "per_cpu"]);
    expect(b.derive({ rows: 3, width: 64, p: 0.0625, per_cpu: false })).toEqual({
      rows: 3,
      width: 64,
      one_in: 16,
      per_cpu: false,
    });
    expect(b.derive({ rows: 3, width: 64, one_in: 4, per_cpu: true })).toEqual({
      rows: 3,
      width: 64,
      one_in: 4,
      per_cpu: true,
    });
    expect(nitroOneIn({ p: 0.3 })).toBeCloseTo(3.333, 3); // re-checked as a power of two: NF4003
    expect(nitroOneIn({})).toBe(0); // NF4004 on one_in
  });
});

describe("nitro declarations through the checker", () => {
  const codes = (decl: string): string[] =>
    checkSource(`nf t on xdp\nsketch s: ${decl}\non packet { pass }\n`, "t.nf").diagnostics.map(
      (d) => d.code,
    );
  test.each([
    ["nitro<u32>(rows = 3, width = 64, p = 0.25)", []],
    ["nitro<u32>(rows = 3, width = 64, one_in = 1)", []],
    ["nitro<u32>(rows = 3, width = 64, p = 0.3)", ["NF4003"]],
    ["nitro<u32>(rows = 3, width = 64, one_in = 3)", ["NF4003"]],
    ["nitro<u32>(rows = 3, width = 64, p = 1)", ["NF4004"]],
    ["nitro<u32>(rows = 3, width = 64)", ["NF4004"]],
    ["nitro<u32>(rows = 17, width = 64, p = 0.5)", ["NF4004"]],
    ["nitro<u32>(rows = 3, width = 64, one_in = 131072)", ["NF4004"]],
    ["count_sketch<u32>(rows = 3, width = 100)", ["NF4003"]],
    ["count_sketch<u32>(rows = 3)", ["NF2023"]],
    ["count_sketch<bytes[65]>(rows = 3, width = 64)", ["NF2020"]],
    ["nitro<bytes[65]>(rows = 3, width = 64, p = 0.5)", ["NF2020"]],
    ["nitro<bytes[64]>(rows = 3, width = 64, p = 0.5)", []],
  ])("%s → %j", (decl, want) => {
    expect(codes(decl as string)).toEqual(want);
  });
  test("the checked program carries the canonical one_in", () => {
    const r = checkSource(
      "nf t on xdp\nsketch s: nitro<u32>(rows = 3, width = 64, p = 0.0625)\non packet { pass }\n",
      "t.nf",
    );
    expect(r.program!.states[0]!.params).toEqual({ rows: 3, width: 64, one_in: 16, per_cpu: false });
  });
});

describe("gap stream = nfc_rt_geo_skip_of (runtime-kmod/selftests/geo.bpf.c vectors)", () => {
  const HALF = 1n << 31n;
  const P16 = 1n << 28n;
  test.each([
    [0, HALF, 32n],
    [0x7fffffff, HALF, 1n],
    [0xffffffff, HALF, 0n],
    [0x80000000, HALF, 0n],
    [0x3fffffff, HALF, 2n],
    [0, P16, 343n],
    [12345, P16, 197n],
    [0x80000000, P16, 10n],
    [0xdeadbeef, 1n << 24n, 35n],
    [0, 3n << 30n, 16n],
    [0x12345678, 0xffffffffn, 0n],
    [0, 1n, 0xffffffffn],
    [5, 1n << 32n, 0n],
    [5, 0n, 0xffffffffn],
  ])("skip_of(%i, %i) = %i", (r, p, want) => {
    expect(geoSkipOf(r, p)).toBe(want);
  });
  test("gap_j = skip_of(r_j, 2^32 / one_in); one_in = 1 samples every row", () => {
    for (const j of [0, 1, 511, 1023]) {
      expect(nitroGap(j, 16)).toBe(geoSkipOf(nitroR(j), 1n << 28n));
      expect(nitroGap(j, 2)).toBe(geoSkipOf(nitroR(j), 1n << 31n));
      expect(nitroGap(j, 1)).toBe(0n);
    }
    // geometric(1/16): mean (1-p)/p = 15 over the pool, within a few standard errors (~0.5)
    const mean = [...Array(NITRO_POOL).keys()].reduce((a, j) => a + Number(nitroGap(j, 16)), 0) / NITRO_POOL;
    expect(mean).toBeGreaterThan(13);
    expect(mean).toBeLessThan(17);
  });
  test("stdlib nf/nitro_table.h holds exactly the A_j table", () => {
    const h = readFileSync(new URL("../../../stdlib/include/nf/nitro_table.h", import.meta.url), "utf8");
    const body = h.slice(
      h.indexOf("nf_nitro_log_u[NF_NITRO_POOL] = {"),
      h.indexOf("};", h.indexOf("nf_nitro_log_u[")),
    );
    const nums = [...body.matchAll(/0x([0-9a-f]+)ULL/g)].map((m) => BigInt(`0x${m[1]}`));
    expect(nums.length).toBe(NITRO_POOL);
    expect(nums).toEqual(nitroATable());
  });
});

describe("nitro sampled updates", () => {
  test("one_in = 1 is count_sketch: every row, every packet", () => {
    const s = nitro(3, 64, 1);
    for (let i = 0; i < 5; i++) add(s, 7, 2);
    expect(est(s, 7)).toBe(10n);
    expect(s.sampler(0)).toEqual({ countdown: 0, cursor: 15 });
  });
  test("the first row of all is sampled; countdown then follows the gap stream exactly", () => {
    const s = nitro(3, 64, 4);
    add(s, 7, 1);
    // row 0 sampled (countdown 0), countdown = gap_0, then rows 1 and 2 consume it
    const g0 = Number(nitroGap(0, 4));
    let cd = g0;
    let cursor = 1;
    for (let i = 1; i < 3; i++) {
      if (cd === 0) {
        cd = Number(nitroGap(cursor, 4));
        cursor++;
      } else cd--;
    }
    expect(s.sampler(0)).toEqual({ countdown: cd, cursor });
    expect(s.sampler(1)).toEqual({ countdown: 0, cursor: 0 }); // per CPU
    const h = nfHash64(u32(7), structureSeed("nt"));
    const sign0 = fmix64(h) & 1n ? -1 : 1;
    const cells = s.store.cells(0);
    expect(cells.reduce((a, c) => a + Math.abs(c), 0) % 4).toBe(0); // scaled by one_in
    expect(cells.some((c) => c === sign0 * 4)).toBe(true);
  });
  test("estimates are multiples of one_in (odd rows, one flow) and unbiased over many packets", () => {
    const s = nitro(5, 1024, 16);
    for (let i = 0; i < 20000; i++) add(s, 42, 1);
    const e = Number(est(s, 42));
    expect(e % 16).toBe(0);
    expect(e).toBeGreaterThan(20000 * 0.8);
    expect(e).toBeLessThan(20000 * 1.2);
    // about rows * p = 5/16 row updates per packet: 20000 * 5 / 16 = 6250 samples
    const cursorTurns = s.sampler(0).cursor; // mod 1024
    expect(cursorTurns).toBeGreaterThanOrEqual(0);
    expect(cursorTurns).toBeLessThan(NITRO_POOL);
  });
  test("the cursor wraps at the pool size and n * one_in wraps modulo 2^32", () => {
    const s = nitro(1, 1, 2);
    let samples = 0;
    for (let i = 0; i < 5000; i++) {
      const before = s.store.cells(0)[0];
      add(s, 1, 1);
      if (s.store.cells(0)[0] !== before) samples++;
    }
    expect(samples).toBeGreaterThan(NITRO_POOL);
    expect(s.sampler(0).cursor).toBe(samples % NITRO_POOL);
    const w = nitro(1, 1, 4);
    add(w, 1, 0x40000001); // first row sampled: 4 * (2^30 + 1) = 2^32 + 4 → 4
    expect(Math.abs(w.store.cells(0)[0]!)).toBe(4);
  });
  test("maps: cells and the 8-byte per-CPU sampler", () => {
    const s = nitro(2, 8, 2, true, 2);
    add(s, 3, 1, 1);
    expect(s.mapBytes("nt", 0).every((b) => b === 0)).toBe(true);
    expect(s.mapBytes("nt", 1).some((b) => b !== 0)).toBe(true);
    expect(s.mapBytes("nt_samp", 1).length).toBe(8);
    expect(() => s.mapBytes("nt_x", 0)).toThrow();
  });
});
