// A first differential check for header rewrites: the reference interpreter and the kernel
// (BPF_PROG_TEST_RUN) must agree on the verdict and every output byte, for seeded random packets
// of several shapes, on the programs that write header fields (checksum updates). The full
// differential runner with state, malformed packets and every example is `nfc test` (issue 3).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { compile } from "../compiler/api.js";
import { KernelRunner, toHex } from "../compiler/kernel/runner.js";
import { requireKernel } from "../compiler/kernel/testing.js";
import { checkSource } from "../lang/index.js";
import { createInterpreter } from "../lang/interp/index.js";
import { buildPacket, type Layer } from "../lang/interp/packet-build.js";
import { rng } from "../lang/rng.js";

const PROGRAMS = [
  "test/corpus/valid/l4_rewrite.nf",
  "test/corpus/valid/udp_nat.nf",
  "test/corpus/valid/pong.nf",
  "test/corpus/valid/v6_edge.nf",
  "test/corpus/valid/loops.nf",
];
const PACKETS = 300;
const root = join(import.meta.dirname, "..");
const work = mkdtempSync(join(tmpdir(), "nfc-diff-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const XDP = ["aborted", "drop", "pass", "tx", "redirect"];
const TC: Record<number, string> = { 0: "pass", 2: "drop", 7: "redirect" };

/** Seeded packets: IPv4/IPv6 with UDP (some to port 53 and 10.0.0.53), TCP, ICMP echo, VLAN. */
function packets(seed: number): Uint8Array[] {
  const r = rng(seed);
  const n = (max: number) => Math.floor(r() * max);
  const ip4 = () => (r() < 0.3 ? "10.0.0.53" : `10.${n(256)}.${n(256)}.${n(256)}`);
  const out: Uint8Array[] = [];
  for (let i = 0; i < PACKETS; i++) {
    const l: Layer[] = [{ kind: "eth", src: "02:00:00:00:00:01", dst: "02:00:00:00:00:02" }];
    if (r() < 0.1) l.push({ kind: "vlan", tci: n(4096) });
    const v6 = r() < 0.3;
    l.push(
      v6
        ? {
            kind: "ipv6",
            src: `2001:db8::${n(65536).toString(16)}`,
            dst: r() < 0.3 ? "2001:db8::1" : "2001:db8::7",
            hop: n(256),
          }
        : { kind: "ipv4", src: ip4(), dst: ip4(), ttl: n(256), tos: n(256), id: n(65536) },
    );
    const k = n(3);
    if (k === 0)
      l.push({
        kind: "udp",
        sport: n(65536),
        dport: r() < 0.3 ? 53 : n(65536),
        ...(r() < 0.2 && !v6 ? { csum: 0 } : {}),
      });
    else if (k === 1)
      l.push({
        kind: "tcp",
        sport: n(65536),
        dport: r() < 0.2 ? 22 : n(65536),
        flags: n(256),
        seq: n(2 ** 32),
      });
    else l.push({ kind: "icmp", type: r() < 0.5 ? 8 : n(256), code: n(4) });
    out.push(
      buildPacket(
        l,
        Array.from({ length: n(40) }, () => n(256)),
      ),
    );
  }
  return out;
}

describe.runIf(requireKernel())("interpreter and kernel agree on header rewrites", () => {
  for (const rel of PROGRAMS) {
    test(`${rel}: ${PACKETS} packets, verdict and bytes`, async () => {
      const source = readFileSync(join(root, rel), "utf8");
      const checked = checkSource(source, rel);
      const built = await compile({ file: rel.split("/").pop()!, source });
      expect(built.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
      const obj = join(work, `${checked.program!.name}.bpf.o`);
      writeFileSync(obj, built.object!);
      const k = KernelRunner.start();
      const differences: string[] = [];
      try {
        await k.open(obj);
        const loaded = await k.load();
        if (!loaded.ok) throw new Error(loaded.verifierLog);
        const interp = createInterpreter(checked.program!);
        const prog = built.manifest!.programs[0]!.function;
        const tc = checked.program!.hook !== "xdp";
        for (const [i, pkt] of packets(7).entries()) {
          const want = interp.run(pkt, { cpu: 0, nowNs: 0n, ifindex: 1 });
          const got = await k.run(prog, pkt, { cpu: 0 });
          const verdict = tc ? TC[got.retval] : XDP[got.retval];
          const wantVerdict = tc && want.verdict === "tx" ? "redirect" : want.verdict;
          if (verdict !== wantVerdict)
            differences.push(
              `packet ${i}: verdict kernel ${verdict} (${got.retval}), interpreter ${want.verdict}`,
            );
          else if (toHex(got.data) !== toHex(want.packet))
            differences.push(
              `packet ${i}: bytes\n  kernel ${toHex(got.data)}\n  interp ${toHex(want.packet)}`,
            );
        }
      } finally {
        await k.close();
      }
      expect(differences.slice(0, 5)).toEqual([]);
    }, 120_000);
  }
});
