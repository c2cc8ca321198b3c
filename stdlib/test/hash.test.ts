// Kernel test for nf/hash.h: every vector of stdlib/test/vectors/hash.json hashed by BPF code
// straight from packet bytes (constant length per case), plus flow5 keys built on the stack.
// lang/hash.test.ts checks lang/hash.ts against the same file.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { KernelRunner } from "../../compiler/kernel/runner.js";
import { requireKernel } from "../../compiler/kernel/testing.js";
import { hex, loadTestProgram, u64le } from "./harness.js";

interface Vector {
  name: string;
  key: string;
  seed: string;
  hash64: string;
  hash32: string;
}
const vectors = (
  JSON.parse(readFileSync(new URL("./vectors/hash.json", import.meta.url), "utf8")) as { cases: Vector[] }
).cases;

describe.runIf(requireKernel())("nf_hash64 on the kernel", () => {
  let runner: KernelRunner;
  beforeAll(async () => {
    runner = await loadTestProgram("hash_test");
  });
  afterAll(async () => {
    await runner?.close();
  });

  test("all vectors (lengths 1..64, several seeds)", async () => {
    expect(vectors.length).toBeGreaterThanOrEqual(50);
    for (const v of vectors) {
      const key = hex(v.key);
      const pkt = new Uint8Array(96);
      pkt[0] = key.length;
      new DataView(pkt.buffer).setBigUint64(8, BigInt(`0x${v.seed}`), true);
      pkt.set(key, 16);
      pkt.fill(0xa5, 16 + key.length, 80); // bytes after the key must not matter
      const r = await runner.run("hash_vec", pkt);
      expect({ name: v.name, retval: r.retval }).toEqual({ name: v.name, retval: 2 });
      const h64 = u64le(r.data, 80).toString(16).padStart(16, "0");
      const h32 = u64le(r.data, 88).toString(16).padStart(8, "0");
      expect({ name: v.name, h64, h32 }).toEqual({ name: v.name, h64: v.hash64, h32: v.hash32 });
    }
  });

  test("flow5 built on the stack (struct nf_flow5, seed 0) matches the flow5 vectors", async () => {
    const flows = vectors.filter((v) => v.name.startsWith("flow5") && BigInt(`0x${v.seed}`) === 0n);
    expect(flows.length).toBeGreaterThanOrEqual(4);
    for (const v of flows) {
      const pkt = new Uint8Array(32);
      pkt.set(hex(v.key), 0);
      pkt.fill(0x5a, 13, 16); // the struct's padding is zeroed by the program, not copied
      const r = await runner.run("hash_flow5", pkt);
      expect({ name: v.name, h: u64le(r.data, 16).toString(16).padStart(16, "0") }).toEqual({
        name: v.name,
        h: v.hash64,
      });
    }
  });
});
