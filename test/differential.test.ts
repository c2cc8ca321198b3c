// The differential run (compiler/difftest, `nfc test`) over every program in examples/ and
// test/corpus/valid/: 10,000 seeded packets each (about 30% malformed), on XDP and on TC ingress
// (via the compile-time hook override; TC-only programs on TC ingress), with the derived setup (deny prefixes, routes and next
// hops, low thresholds). Zero differences in verdicts, output bytes and full state; plus checks
// that the setup really exercised the tables (drops / redirects where the program can make them).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { run } from "../compiler/cli/main.js";
import { runDifferential, type DiffReport } from "../compiler/difftest/engine.js";
import { generatePackets, MIN_PACKET } from "../compiler/difftest/packets.js";
import { requireKernel } from "../compiler/kernel/testing.js";
import { checkSource } from "../lang/index.js";

const PACKETS = 10_000;
const root = join(import.meta.dirname, "..");
const programs = [
  ...readdirSync(join(root, "examples"))
    .filter((f) => f.endsWith(".nf"))
    .map((f) => `examples/${f}`),
  ...readdirSync(join(root, "test/corpus/valid"))
    .filter((f) => f.endsWith(".nf"))
    .map((f) => `test/corpus/valid/${f}`),
];

/** Verdicts the setup must provoke at least once (proof that tables, thresholds and rewrites were hit). */
const MUST_SEE: Record<string, string[]> = {
  topk_report: ["pass"],
  kv_store: ["tx", "drop", "pass"],
  cardinality: ["drop", "pass"],
  firewall: ["drop", "pass"],
  heavy_hitter: ["drop", "pass"],
  router: ["redirect", "pass"],
  syn_guard: ["drop", "pass"],
  l4_rewrite: ["tx", "drop", "pass"],
  pong: ["tx", "pass"],
  udp_nat: ["tx", "pass"],
  v6_edge: ["tx", "drop", "pass"],
  vxlan_filter: ["drop", "pass"],
  carousel: ["drop", "pass"],
  eiffel_pacer: ["tx", "drop", "pass"],
  nitro_monitor: ["drop", "pass"],
  cuckoo_switch: ["redirect", "drop", "pass"],
};

describe("packet generation", () => {
  test("seeded, never below 14 bytes, valid and malformed mixed", () => {
    const p = checkSource(readFileSync(join(root, "examples/router.nf"), "utf8"), "router.nf").program!;
    const a = generatePackets(p, 2000, 5);
    const b = generatePackets(p, 2000, 5);
    expect(a.map((x) => x.bytes.join())).toEqual(b.map((x) => x.bytes.join()));
    expect(Math.min(...a.map((x) => x.bytes.length))).toBe(MIN_PACKET);
    const malformed = a.filter((x) => x.malformed).length;
    expect(malformed / a.length).toBeGreaterThan(0.2);
    expect(malformed / a.length).toBeLessThan(0.4);
    for (const shape of [
      "ipv4 ihl=",
      "tcp off=",
      "non-first fragment",
      "ext chain off the end",
      "truncated at",
      "vlan/vlan",
      "ipv6/ext/ext",
    ])
      expect(
        a.some((x) => x.shape.includes(shape)),
        shape,
      ).toBe(true);
  });
});

/** Every program on XDP and TC ingress, except TC-only ones (`set_tstamp`): TC ingress. */
function hooksOf(rel: string): readonly ("xdp" | "tc_ingress")[] {
  return /\bset_tstamp\s*\(/.test(readFileSync(join(root, rel), "utf8"))
    ? ["tc_ingress"]
    : ["xdp", "tc_ingress"];
}

describe.runIf(requireKernel())("interpreter and kernel agree on every program", () => {
  for (const rel of programs)
    for (const hook of hooksOf(rel)) {
      test(`${rel} on ${hook}: ${PACKETS} packets, zero differences`, async () => {
        const r: DiffReport = await runDifferential(rel, readFileSync(join(root, rel), "utf8"), {
          packets: PACKETS,
          seed: 1,
          hook,
        });
        expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
        expect(r.details.map((d) => d.detail)).toEqual([]);
        expect(r.differences).toBe(0);
        expect(r.packets).toBe(PACKETS);
        expect(r.stateChecks).toBe(10);
        // Only TC refuses packets (IPv4/IPv6 ethertype without room for the L3 header).
        if (hook === "xdp") expect(r.rejected).toEqual([]);
        else expect(r.rejected.length).toBeLessThan(PACKETS * 0.05);
        const ran = Object.values(r.verdicts).reduce((a, b) => a + b, 0);
        expect(ran + r.rejected.length).toBe(PACKETS);
        for (const v of MUST_SEE[r.nf] ?? []) {
          const want = hook !== "xdp" && v === "tx" ? "redirect" : v;
          expect(r.verdicts[want] ?? 0, `${r.nf} ${want}`).toBeGreaterThan(0);
        }
      }, 120_000);
    }

  test("nfc test prints the summary and exits 0", async () => {
    let out = "";
    const code = await run(
      ["test", join(root, "examples/router.nf"), "--packets", "300", "--hook", "tc_ingress"],
      { out: (s) => (out += s), err: (s) => (out += s), readStdin: () => "" },
    );
    expect(out).toMatch(/nfc test router \(tc_ingress\): 300 packets/);
    expect(out).toMatch(/differences: 0/);
    expect(code).toBe(0);
  }, 60_000);
});
