// User-written tests (`test "name" { }`): the checker's output, packet building, and — kernel
// tier — every example's tests passing on the interpreter AND the kernel, plus a deliberately
// wrong expectation, verdict and disagreement that must fail with the test name, line and values.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { runUserTests, testPacketBytes } from "../compiler/difftest/usertests.js";
import { formatUserTests } from "../compiler/cli/test.js";
import { requireKernel } from "../compiler/kernel/testing.js";
import { checkSource } from "../lang/index.js";

const root = join(import.meta.dirname, "..");
const examples = readdirSync(join(root, "examples"))
  .filter((f) => f.endsWith(".nf"))
  .sort();
const read = (f: string): string => readFileSync(join(root, "examples", f), "utf8");

/** Tests, packets and expectations each example's tests hold (packets with repeats unrolled). */
const COUNTS: Record<string, { tests: number; packets: number; expects: number }> = {
  "firewall.nf": { tests: 1, packets: 6, expects: 5 },
  "carousel.nf": { tests: 3, packets: 1977, expects: 7 },
  "heavy_hitter.nf": { tests: 2, packets: 8, expects: 8 },
  "router.nf": { tests: 1, packets: 4, expects: 3 },
  "syn_guard.nf": { tests: 2, packets: 11, expects: 7 },
  "cuckoo_switch.nf": { tests: 3, packets: 23, expects: 6 },
  "nitro_monitor.nf": { tests: 3, packets: 507, expects: 8 },
  "topk_report.nf": { tests: 3, packets: 45, expects: 11 },
  "cardinality.nf": { tests: 2, packets: 453, expects: 5 },
  "eiffel_pacer.nf": { tests: 3, packets: 28, expects: 4 },
  "kv_store.nf": { tests: 5, packets: 47, expects: 9 },
  "memcached_cache.nf": { tests: 5, packets: 10, expects: 14 },
  "memcached_learn.nf": { tests: 2, packets: 6, expects: 7 },
};

const WRONG = `nf wrong on xdp
config limit: u32 = 2
table seen: hash<ip4, u32>(capacity = 64)
counter dropped
on packet {
  let ip = ipv4 else { pass }
  seen.add(ip.src, 1)
  let n = seen.get(ip.src) else { pass }
  if n > limit {
    dropped += 1
    drop
  }
  pass
}

test "right" {
  repeat 3 { packet udp(src = 10.0.0.1) }
  expect seen.get(10.0.0.1) == 3 && dropped == 1
}

test "wrong count" {
  repeat 3 { packet udp(src = 10.0.0.1) }
  expect dropped == 2
}

test "wrong verdict" {
  config limit = 0
  packet udp(src = 10.0.0.1) => pass
  expect seen.contains(10.0.0.2)
}

test "wrong output" {
  packet udp(src = 10.0.0.1) => pass as udp(src = 10.0.0.9)
}
`;

describe("checking", () => {
  test("every example's tests check, with the expected shape", () => {
    for (const f of examples) {
      const r = checkSource(read(f), f);
      expect(
        r.diagnostics.filter((d) => d.severity === "error"),
        f,
      ).toEqual([]);
      expect(r.program?.tests?.length, f).toBe(COUNTS[f]!.tests);
    }
    const hh = checkSource(read("heavy_hitter.nf"), "heavy_hitter.nf").program!.tests![0]!;
    expect(hh.name).toBe("a flow over the threshold blocks its source");
    expect(hh.body.map((s) => s.kind)).toEqual([
      "config",
      "repeat",
      "expect",
      "packet",
      "packet",
      "expect",
      "expectEvent",
      "expect",
      "expect",
    ]);
    const rep = hh.body[1]!;
    expect(rep.kind === "repeat" && rep.count).toBe(3);
  });

  test("a lone udp() gets eth() and ipv4() with its src/dst; lengths and checksums are filled", () => {
    const p = checkSource(
      `nf t on xdp\non packet { pass }\ntest "t" { packet udp(src = 10.0.0.1, dport = 53) / payload(len = 4) }\n`,
      "t.nf",
    );
    const s = p.program!.tests![0]!.body[0]!;
    if (s.kind !== "packet") throw new Error("not a packet");
    expect(s.layers.map((l) => l.kind)).toEqual(["eth", "ipv4", "udp", "payload"]);
    const bytes = testPacketBytes(s.layers);
    expect(bytes.length).toBe(14 + 20 + 8 + 4);
    expect([...bytes.subarray(12, 14)]).toEqual([0x08, 0x00]); // ethertype IPv4
    expect(bytes[23]).toBe(17); // ipv4.proto = UDP
    expect([...bytes.subarray(26, 30)]).toEqual([10, 0, 0, 1]); // ipv4.src
    expect([...bytes.subarray(36, 38)]).toEqual([0, 53]); // udp.dport
    expect([...bytes.subarray(38, 40)]).toEqual([0, 12]); // udp.len
  });

  test("mistakes are coded with spans", () => {
    const src = `nf t on xdp\ntable r: lpm<ip4, u32>(capacity = 16)\ncounter c\non packet { pass }\ntest "t" {\n  entry r[10.0.0.1] = 1\n  entry c[1] = 2\n  config nope = 1\n  packet tcp(flags = 300)\n  expect c\n}\n`;
    const got = checkSource(src, "t.nf").diagnostics.map((d) => `${d.code}@${d.span?.line}:${d.span?.col}`);
    expect(got).toEqual(["NF2008@6:11", "NF2004@7:9", "NF2001@8:10", "NF2009@9:22", "NF2008@10:10"]);
  });
});

describe.runIf(requireKernel())("user tests on the interpreter and the kernel", () => {
  for (const f of examples)
    test(
      f,
      async () => {
        const r = await runUserTests(f, read(f));
        expect(r.diagnostics).toEqual([]);
        expect(r.tests.map((t) => t.failures).flat()).toEqual([]);
        expect(r.tests.every((t) => t.ok)).toBe(true);
        const sum = (k: "packets" | "expects"): number => r.tests.reduce((a, t) => a + t[k], 0);
        expect({ tests: r.tests.length, packets: sum("packets"), expects: sum("expects") }).toEqual(
          COUNTS[f],
        );
      },
      120_000,
    );

  test("a wrong expectation and a wrong verdict fail with the name, line and both sides' values", async () => {
    const r = await runUserTests("wrong.nf", WRONG);
    expect(r.diagnostics).toEqual([]);
    expect(r.tests.map((t) => [t.name, t.ok])).toEqual([
      ["right", true],
      ["wrong count", false],
      ["wrong verdict", false],
      ["wrong output", false],
    ]);
    expect(r.tests[1]!.failures).toEqual([
      "line 23: expect dropped == 2: interpreter false, kernel false (left: 1 / 1, right: 2 / 2, as interpreter / kernel)",
    ]);
    expect(r.tests[2]!.failures).toEqual([
      "line 28: packet 0: expected pass, interpreter drop, kernel drop",
      "line 29: expect seen.contains(10.0.0.2): interpreter false, kernel false",
    ]);
    // the expected output packet differs in the IPv4 source (byte 29) and so in the checksums
    expect(r.tests[3]!.failures).toHaveLength(1);
    expect(r.tests[3]!.failures[0]).toMatch(
      /^line 33: packet 0: output is not the expected packet: length 42 vs 42, first difference at byte 2[4-9]: kernel [0-9a-f]+ \/ expected [0-9a-f]+ .*; .*interpreter [0-9a-f]+ \/ expected/,
    );
    const text = formatUserTests(r);
    expect(text).toContain('test "right" ... ok (3 packets, 1 expectations)');
    expect(text).toContain('test "wrong count" ... FAILED');
    expect(text).toContain("user tests: 1 passed, 3 failed");
  }, 120_000);
});
