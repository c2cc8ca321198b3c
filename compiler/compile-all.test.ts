// Every hand-built fixture and every example compiles with clang -Wall -Werror and loads through
// the HOST kernel's verifier (a rejection is a compiler bug), and a header write runs correctly
// under BPF_PROG_TEST_RUN: TTL decremented, IPv4 checksum still valid.
import { readdirSync, readFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { compile, stdlibInclude } from "./api.js";
import { arith, headers, heavyHitter, tables } from "./codegen/__fixtures__/programs.js";
import { KernelRunner } from "./kernel/runner.js";
import { requireKernel } from "./kernel/testing.js";
import { generate } from "./pipeline.js";
import { compileBpf } from "./toolchain/clang.js";
import { packageRoot } from "./toolchain/tools.js";

const dir = mkdtempSync(join(tmpdir(), "nfc-compile-all-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const fixtures = { heavyHitter, arith, tables, tablesTc: () => tables("tc_ingress"), headers };

function objectOf(name: string, c: string): string {
  const r = compileBpf(c, { name, includeDirs: [stdlibInclude()], werror: true });
  expect(r.diagnostics.map((d) => d.message)).toEqual([]);
  const p = join(dir, `${name}.bpf.o`);
  writeFileSync(p, r.object!);
  return p;
}

async function loads(obj: string): Promise<void> {
  const k = KernelRunner.start();
  try {
    await k.open(obj);
    const l = await k.load();
    expect(l.ok ? "loaded" : l.verifierLog.split("\n").slice(-25).join("\n")).toBe("loaded");
  } finally {
    await k.close();
  }
}

const exampleDir = join(packageRoot(), "examples");
const examples = readdirSync(exampleDir)
  .filter((f) => f.endsWith(".nf"))
  .sort();

describe("clang -Wall -Werror", () => {
  for (const [name, mk] of Object.entries(fixtures)) {
    test(`fixture ${name}`, () => {
      const g = generate(mk());
      expect(g.diagnostics).toEqual([]);
      objectOf(name, g.c!);
    });
  }
  for (const f of examples) {
    test(`example ${f}`, async () => {
      const r = await compile(
        { file: f, source: readFileSync(join(exampleDir, f), "utf8") },
        { emitObject: true, werror: true },
      );
      expect(
        r.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.code} ${d.message}`),
      ).toEqual([]);
      expect(r.object?.length ?? 0).toBeGreaterThan(0);
    });
  }
});

describe.runIf(requireKernel())("host verifier", () => {
  for (const [name, mk] of Object.entries(fixtures)) {
    test(`fixture ${name} loads`, async () => {
      await loads(objectOf(`v_${name}`, generate(mk()).c!));
    }, 120_000);
  }
  for (const f of examples) {
    test(`example ${f} loads`, async () => {
      const r = await compile({ file: f, source: readFileSync(join(exampleDir, f), "utf8") });
      const p = join(dir, `ex_${f}.o`);
      writeFileSync(p, r.object!);
      await loads(p);
    }, 120_000);
  }

  test("a TTL write keeps the IPv4 checksum valid (BPF_PROG_TEST_RUN)", async () => {
    const k = KernelRunner.start();
    try {
      await k.open(objectOf("ttl", generate(arith()).c!));
      const l = await k.load();
      expect(l.ok).toBe(true);
      const pkt = ipv4Packet({ ttl: 64, id: 0, src: [192, 168, 9, 9], dst: [10, 1, 2, 3] });
      const r = await k.run("arith_prog", pkt);
      expect(r.retval).toBe(2); // XDP_PASS
      const ip = r.data.subarray(14, 34);
      expect(ip[8]).toBe(63); // ttl - 1
      expect([...ip.subarray(16, 20)]).toEqual([10, 0, 0, 1]); // dst rewritten
      expect(ipChecksum(ip)).toBe(0); // header (with its checksum) sums to 0xffff
    } finally {
      await k.close();
    }
  }, 120_000);
});

function ipChecksum(h: Uint8Array): number {
  let s = 0;
  for (let i = 0; i < h.length; i += 2) s += (h[i]! << 8) | h[i + 1]!;
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  return ~s & 0xffff;
}

function ipv4Packet(o: { ttl: number; id: number; src: number[]; dst: number[] }): Uint8Array {
  const p = new Uint8Array(14 + 20 + 8);
  p.set([2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2, 0x08, 0x00], 0);
  const ip = p.subarray(14, 34);
  ip.set([0x45, 0, 0, 28, o.id >> 8, o.id & 0xff, 0, 0, o.ttl, 17, 0, 0, ...o.src, ...o.dst]);
  const c = ipChecksum(ip);
  ip[10] = c >> 8;
  ip[11] = c & 0xff;
  p.set([0x30, 0x39, 0x00, 0x35, 0, 8, 0, 0], 34); // udp, checksum 0 (none)
  return p;
}
