// Payload access and reply building (docs/LANGUAGE.md "Payload"): the interpreter's semantics at the
// edges (reads past the end, scans that miss, slices with a zero tail, all-or-nothing writes, a
// resize that refuses), and — kernel tier — the user tests and the differential of
// test/corpus/valid/payload_reply.nf on XDP and TC, packets whose size changes included.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { runDifferential } from "../compiler/difftest/engine.js";
import { runUserTests } from "../compiler/difftest/usertests.js";
import { requireKernel } from "../compiler/kernel/testing.js";
import { checkSource } from "../lang/index.js";
import { createInterpreter } from "../lang/interp/index.js";
import { buildPacket } from "../lang/interp/packet-build.js";

const FILE = "test/corpus/valid/payload_reply.nf";
const source = readFileSync(join(import.meta.dirname, "..", FILE), "utf8");

function run(
  body: string,
  payload: number[],
): { verdict: string; packet: Uint8Array; counters: Record<string, bigint> } {
  const src = `nf t on xdp\ncounter a, b, c\non packet {\n  let ip = ipv4 else { pass }\n  let u = udp else { pass }\n${body}\n  pass\n}\n`;
  const { program, diagnostics } = checkSource(src, "t.nf");
  expect(diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  const it = createInterpreter(program!);
  const pkt = buildPacket(
    [
      { kind: "eth" },
      { kind: "ipv4", src: "10.0.0.1", dst: "10.0.0.2" },
      { kind: "udp", sport: 1, dport: 2 },
    ],
    payload,
  );
  const r = it.run(pkt, { cpu: 0, nowNs: 0n, ifindex: 1 });
  const counters = Object.fromEntries(["a", "b", "c"].map((n) => [n, it.counters[n]!.total()]));
  return { verdict: r.verdict, packet: r.packet, counters };
}
const text = (s: string): number[] => [...s].map((c) => c.charCodeAt(0));

describe("payload semantics (interpreter)", () => {
  test("reads past the end are 0; len counts to the packet's end", () => {
    const r = run(
      "  a += payload.len() as u64\n  b += payload.u16(2) as u64\n  c += payload.u32(1) as u64",
      [1, 2, 3, 4],
    );
    expect(r.counters).toEqual({ a: 4n, b: 0x0304n, c: 0n }); // u32(1) needs bytes 1..4 of 4
  });
  test("find returns the offset or 0xffffffff within its bound; slice zero-fills", () => {
    const r = run(
      '  a += payload.find(13, 0, 4) as u64\n  b += payload.find(13, 0, 8) as u64\n  let k: bytes[8] = payload.slice(4, 100)\n  if k == "key\\r\\n" { c += 1 }',
      text("get key\r\n"),
    );
    expect(r.counters).toEqual({ a: 0xffffffffn, b: 7n, c: 1n });
  });
  test("starts_with at an offset; a string longer than the rest is false", () => {
    const r = run(
      '  if payload.starts_with("key", 4) { a += 1 }\n  if payload.starts_with("get key\\r\\n!") { b += 1 }',
      text("get key\r\n"),
    );
    expect(r.counters).toEqual({ a: 1n, b: 0n, c: 0n });
  });
  test("a write that does not fit changes nothing; one that fits zeroes the UDP checksum", () => {
    const before = run("", [1, 2, 3, 4]).packet;
    const miss = run("  if !payload.write(3, 0xaabb as u16) { a += 1 }", [1, 2, 3, 4]);
    expect(miss.counters.a).toBe(1n);
    expect([...miss.packet]).toEqual([...before]);
    const hit = run("  if payload.write(2, 0xaabb as u16) { a += 1 }", [1, 2, 3, 4]);
    expect([...hit.packet.slice(-6)]).toEqual([0, 0, 1, 2, 0xaa, 0xbb]);
  });
  test("resize above 1472 bytes is refused; a grow sets the lengths and zero-fills", () => {
    expect(run("  if !payload.resize(1473) { a += 1 }", [1]).counters.a).toBe(1n);
    const r = run("  if payload.resize(3) { a += 1 }", [9]);
    expect(r.packet.length).toBe(14 + 20 + 8 + 3);
    expect([...r.packet.slice(-3)]).toEqual([9, 0, 0]);
    expect((r.packet[16]! << 8) | r.packet[17]!).toBe(31); // ipv4 total length
    expect((r.packet[38]! << 8) | r.packet[39]!).toBe(11); // udp length
  });
});

describe.runIf(requireKernel())("payload on the kernel", () => {
  test("user tests pass on both sides", async () => {
    const r = await runUserTests(FILE, source);
    expect(r.diagnostics).toEqual([]);
    expect(r.tests.map((t) => [t.name, t.ok, t.failures])).toEqual(r.tests.map((t) => [t.name, true, []]));
    expect(r.tests).toHaveLength(4);
  }, 120_000);
  for (const hook of ["xdp", "tc_ingress"] as const)
    test(`differential on ${hook}: replies of changed size included`, async () => {
      const r = await runDifferential(FILE, source, { packets: 4000, seed: 7, hook });
      expect(r.details).toEqual([]);
      expect(r.differences).toBe(0);
      const replies = (r.verdicts.tx ?? 0) + (r.verdicts.redirect ?? 0);
      expect(replies).toBeGreaterThan(0);
    }, 180_000);
});
