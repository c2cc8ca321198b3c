// Live tier (root): an upgrade whose tables only grew migrates their entries (replace.ts `grows`):
// an LPM deny list, a per-CPU hash the datapath writes, and an array, on a veth pair (198.18.95.0/30
// in this suite's namespaces). After `nfc load` of the bigger build: every entry and per-CPU sum is
// there, the deny rule still drops, the new capacity is in force, and a key-type change is still
// NF6020.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { requireKernel } from "../kernel/testing.js";
import { NetLab, cli, countersOf } from "./netlab.js";

const lab = new NetLab("m", 95);
const NF = `mg${process.pid % 100000}`;
const src = (cap: number, key = "u16"): string => `nf ${NF} on xdp
table deny: lpm<ip4, u32>(capacity = ${cap})
table ports: hash<${key}, u64>(capacity = ${cap}, per_cpu)
table arr: array<u32, u32>(capacity = ${cap})
counter dropped, passed
on packet {
  let ip = ipv4 else { pass }
  if let u = udp { ports.add(u.dport, 1) }
  if deny.contains(ip.src) { dropped += 1; drop }
  passed += 1
  pass
}
`;
const v1 = lab.nf(NF, src(4));

describe.runIf(requireKernel())("upgrade migrates tables whose capacity grew (live)", () => {
  beforeAll(() => lab.up());
  afterAll(() => lab.close());

  test(
    "entries, per-CPU sums and effect kept across nfc load of a bigger build",
    { timeout: 240_000 },
    async () => {
      try {
        expect((await cli("load", v1, "--dev", lab.devA, "--netns", lab.nsA)).err).toBe("");
        for (const [k, v] of [
          ["10.0.0.0/8", "1"],
          ["192.0.2.0/24", "2"],
          [`${lab.addrB}/32`, "3"],
        ])
          expect((await cli("table", NF, "deny", "add", k, v)).code).toBe(0);
        expect((await cli("table", NF, "arr", "add", "3", "33")).code).toBe(0);
        expect(lab.sendPorts([7, 7, 8])).toBe(3);
        expect(await countersOf(NF)).toEqual({ dropped: 3, passed: 0 });
        const ports = async (): Promise<unknown> =>
          (
            JSON.parse((await cli("table", NF, "ports", "list", "--json")).out) as Array<{ key: number }>
          ).sort((a, b) => a.key - b.key);
        const before = await ports();
        expect(before).toEqual([
          { key: 7, value: 2 },
          { key: 8, value: 1 },
        ]);

        const v2 = lab.nf(NF, src(64));
        const up = await cli("load", v2, "--dev", lab.devA, "--netns", lab.nsA);
        expect(up.err).toBe("");
        expect(up.out).toMatch(/migrated deny: 3 entries into capacity 64 \(was 4\)/);
        expect(up.out).toMatch(/migrated ports: 2 entries into capacity 64 \(was 4\)/);
        expect(up.out).toMatch(/migrated arr: 4 entries into capacity 64 \(was 4\)/);
        const deny = (await cli("table", NF, "deny", "list", "--json")).out;
        expect((JSON.parse(deny) as Array<{ key: string }>).map((e) => e.key).sort()).toEqual(
          ["10.0.0.0/8", "192.0.2.0/24", `${lab.addrB}/32`].sort(),
        );
        expect(await ports()).toEqual(before);
        expect((await cli("table", NF, "arr", "get", "3")).out).toBe("3 33\n");
        // Room for more than the old capacity now.
        for (let i = 0; i < 10; i++)
          expect((await cli("table", NF, "deny", "add", `10.${i + 1}.0.0/16`, "4")).code).toBe(0);
        // State and effect continue: counters kept, the peer still denied.
        expect(lab.sendPorts([9])).toBe(1);
        expect(await countersOf(NF)).toEqual({ dropped: 4, passed: 0 });
        // A key type change is not a capacity change: still refused, nothing changed.
        const bad = await cli("load", lab.nf(NF, src(64, "u32")), "--dev", lab.devA, "--netns", lab.nsA);
        expect(bad.code).toBe(4);
        expect(bad.err).toMatch(/error\[NF6020\]: map `ports` changed layout: key/);
        expect((await cli("unload", NF)).code).toBe(0);
      } finally {
        lab.forget(NF);
      }
    },
  );
});
