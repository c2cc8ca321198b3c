// Kernel tests for nf/sketch.h through sketch_test.bpf.c: count-min add/estimate and bloom
// insert/contains on shared and per-CPU chunked array maps. A model written from the index
// math in stdlib/CONTEXT.md predicts every estimate and every cell of the dumped maps.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { KernelRunner } from "../../compiler/kernel/runner.js";
import { requireKernel } from "../../compiler/kernel/testing.js";
import { dhIndex } from "../../lang/hash.js";
import { loadTestProgram, rng, u32le } from "./harness.js";

interface Cms {
  which: number;
  map: string;
  rows: number;
  width: number;
  percpu: boolean;
}
interface Bloom {
  which: number;
  map: string;
  hashes: number;
  bits: number;
  percpu: boolean;
}
const CMS_SMALL: Cms = { which: 0, map: "cms_small", rows: 4, width: 1024, percpu: false };
const CMS_BIG: Cms = { which: 1, map: "cms_big", rows: 3, width: 32768, percpu: false };
const CMS_PCPU: Cms = { which: 2, map: "cms_pcpu", rows: 4, width: 1024, percpu: true };
const BLOOM_SMALL: Bloom = { which: 3, map: "bloom_small", hashes: 3, bits: 1024, percpu: false };
const BLOOM_BIG: Bloom = { which: 4, map: "bloom_big", hashes: 7, bits: 1 << 19, percpu: false };
const BLOOM_PCPU: Bloom = { which: 5, map: "bloom_pcpu", hashes: 3, bits: 1024, percpu: true };

const cmsChunk = (width: number): number => Math.min(width, 8192);
const bloomChunkWords = (bits: number): number => Math.min(bits / 64, 4096);

/** Count-min cell of row `row`: [map key, cell index in the entry] (CONTEXT.md). */
function cmsCell(s: Cms, h: bigint, row: number): [number, number] {
  const col = dhIndex(h, row, s.width - 1);
  const chunk = cmsChunk(s.width);
  return [Math.floor((row * s.width + col) / chunk), col & (chunk - 1)];
}

/** Bloom bit i: [map key, word index in the entry, bit in the word] (CONTEXT.md). */
function bloomBit(s: Bloom, h: bigint, i: number): [number, number, number] {
  const bit = dhIndex(h, i, s.bits - 1);
  const word = Math.floor(bit / 64);
  const cw = bloomChunkWords(s.bits);
  return [Math.floor(word / cw), word & (cw - 1), bit & 63];
}

function randomHashes(seed: number, n: number): bigint[] {
  const r = rng(seed);
  const u32 = (): bigint => BigInt(Math.floor(r() * 2 ** 32));
  return Array.from({ length: n }, () => (u32() << 32n) | u32());
}

describe.runIf(requireKernel())("nf/sketch.h on the kernel", () => {
  let runner: KernelRunner;
  beforeAll(async () => {
    runner = await loadTestProgram("sketch_test");
  });
  afterAll(async () => {
    await runner?.close();
  });

  async function op(which: number, opcode: 0 | 1, h: bigint, n = 0, cpu = 0): Promise<number> {
    const pkt = new Uint8Array(32);
    const dv = new DataView(pkt.buffer);
    pkt[0] = opcode;
    pkt[1] = which;
    dv.setBigUint64(8, h, true);
    dv.setUint32(16, n >>> 0, true);
    const r = await runner.run("sketch_op", pkt, { cpu });
    expect(r.retval).toBe(2);
    return u32le(r.data, 24);
  }

  /** Cells of the map as "key/cell" -> value (non-zero only); `cpu` selects a per-CPU shard. */
  async function dumpCells(map: string, width: 4 | 8, cpu?: number): Promise<Map<string, bigint>> {
    const out = new Map<string, bigint>();
    for (const e of await runner.dump(map)) {
      const v = cpu === undefined ? e.value! : e.values![cpu]!;
      const key = u32le(e.key, 0);
      const dv = new DataView(v.buffer, v.byteOffset, v.byteLength);
      for (let i = 0; i < v.length / width; i++) {
        const x = width === 4 ? BigInt(dv.getUint32(i * 4, true)) : dv.getBigUint64(i * 8, true);
        if (x !== 0n) out.set(`${key}/${i}`, x);
      }
    }
    return out;
  }

  async function checkCms(s: Cms, seed: number, cpus: number[]): Promise<void> {
    const keys = randomHashes(seed, 120);
    // one model per CPU shard for per-CPU maps, one for a shared map (updated from every CPU)
    const models = (s.percpu ? cpus : [0]).map(() => new Map<string, bigint>());
    const shard = (ci: number): Map<string, bigint> => models[s.percpu ? ci : 0]!;
    const r = rng(seed + 1);
    const estimate = (m: Map<string, bigint>, h: bigint): number =>
      Math.min(
        ...Array.from({ length: s.rows }, (_, row) => Number(m.get(cmsCell(s, h, row).join("/")) ?? 0n)),
      );
    for (let i = 0; i < 400; i++) {
      const h = keys[Math.floor(r() * r() * keys.length)]!; // skewed: some keys repeat a lot
      const n = i === 7 ? 0xffffffff : 1 + Math.floor(r() * 1000); // one huge add: cells wrap mod 2^32
      const c = cpus[i % cpus.length]!;
      const m = shard(i % cpus.length);
      for (let row = 0; row < s.rows; row++) {
        const k = cmsCell(s, h, row).join("/");
        const v = ((m.get(k) ?? 0n) + BigInt(n)) & 0xffffffffn;
        if (v === 0n) m.delete(k);
        else m.set(k, v);
      }
      expect({ i, est: await op(s.which, 0, h, n, c) }).toEqual({ i, est: estimate(m, h) });
    }
    for (const [ci, c] of cpus.entries()) {
      for (const h of keys)
        expect({ h, est: await op(s.which, 1, h, 0, c) }).toEqual({ h, est: estimate(shard(ci), h) });
      expect(await dumpCells(s.map, 4, s.percpu ? c : undefined)).toEqual(shard(ci));
    }
  }

  async function checkBloom(s: Bloom, seed: number, cpus: number[]): Promise<void> {
    const keys = randomHashes(seed, 300);
    const inserted = keys.slice(0, 60);
    const models = (s.percpu ? cpus : [0]).map(() => new Map<string, bigint>());
    const shard = (ci: number): Map<string, bigint> => models[s.percpu ? ci : 0]!;
    for (const [i, h] of inserted.entries()) {
      const ci = i % cpus.length;
      const m = shard(ci);
      for (let j = 0; j < s.hashes; j++) {
        const [k, w, b] = bloomBit(s, h, j);
        const key = `${k}/${w}`;
        m.set(key, (m.get(key) ?? 0n) | (1n << BigInt(b)));
      }
      expect(await op(s.which, 0, h, 0, cpus[ci])).toBe(1);
    }
    const contains = (m: Map<string, bigint>, h: bigint): number =>
      Array.from({ length: s.hashes }, (_, j) => bloomBit(s, h, j)).every(
        ([k, w, b]) => ((m.get(`${k}/${w}`) ?? 0n) >> BigInt(b)) & 1n,
      )
        ? 1
        : 0;
    for (const [ci, c] of cpus.entries()) {
      let positives = 0;
      for (const h of keys) {
        const want = contains(shard(ci), h);
        positives += want;
        expect({ h, got: await op(s.which, 1, h, 0, c) }).toEqual({ h, got: want });
      }
      // every key inserted into this shard is found; most others are not
      expect(positives).toBeGreaterThanOrEqual(
        s.percpu ? inserted.filter((_, i) => i % cpus.length === ci).length : inserted.length,
      );
      expect(positives).toBeLessThan(keys.length);
      expect(await dumpCells(s.map, 8, s.percpu ? c : undefined)).toEqual(shard(ci));
    }
  }

  test("count-min, shared, one chunk per row (4 x 1024)", () => checkCms(CMS_SMALL, 1, [0]));
  test("count-min, shared, four chunks per row (3 x 32768, chunk 8192)", () => checkCms(CMS_BIG, 2, [0, 1]));
  test("count-min, per-CPU: each CPU has its own shard", () => checkCms(CMS_PCPU, 3, [0, 1]));
  test("bloom, shared, one chunk (1024 bits, 3 hashes)", () => checkBloom(BLOOM_SMALL, 4, [0]));
  test("bloom, shared, two chunks (2^19 bits, 7 hashes)", () => checkBloom(BLOOM_BIG, 5, [0, 1]));
  test("bloom, per-CPU: each CPU has its own shard", () => checkBloom(BLOOM_PCPU, 6, [0, 1]));
});
