// Live tier (root): TC NFs attached through a clsact qdisc and a bpf filter (`--tc-mode clsact`, the
// path kernels without tcx take), on a veth pair (netlab.ts, 198.18.95.0/30 in this suite's own
// namespaces): packets counted, status, an upgrade under paced traffic replacing the filter's program
// in place with every packet counted, and unload removing the filter, the qdisc it created and the
// program (this NF's ids absent from the kernel's lists).
import { spawnSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { requireKernel } from "../kernel/testing.js";
import { NetLab, cli, countersOf, leftBehind } from "./netlab.js";

const lab = new NetLab("k", 95);
const NF = `ca${process.pid % 100000}`;
const src = (extra: string): string => `nf ${NF} on tc ingress
counter udp_seen, other
on packet {
  let u = udp else { other += 1; pass }
  if u.dport == 9 { udp_seen += 1 }
  ${extra}
  pass
}
`;
const tc = (...a: string[]): string => spawnSync("tc", ["-n", lab.nsA, ...a], { encoding: "utf8" }).stdout;

describe.runIf(requireKernel())("TC clsact attachment (live)", () => {
  beforeAll(() => lab.up());
  afterAll(() => lab.close());

  test(
    "load --tc-mode clsact, traffic, upgrade in place under traffic, unload leaves nothing",
    { timeout: 240_000 },
    async () => {
      try {
        const load = await cli(
          "load",
          lab.nf(NF, src("")),
          "--dev",
          lab.devA,
          "--netns",
          lab.nsA,
          "--tc-mode",
          "clsact",
        );
        expect(load.err).toBe("");
        expect(load.out).toMatch(
          new RegExp(
            `attached to ${lab.devA} \\(netns ${lab.nsA}\\): clsact ingress filter handle \\d+ priority \\d+ \\(clsact qdisc created\\)`,
          ),
        );
        expect(tc("filter", "show", "dev", lab.devA, "ingress")).toMatch(/bpf .*direct-action/);
        expect(lab.send(12)).toBe(12);
        expect((await countersOf(NF)).udp_seen).toBe(12);
        const st = JSON.parse((await cli("status", NF, "--json")).out) as Array<{
          program: { id: number };
          maps: Array<{ id: number }>;
          attachments: Array<{ kind: string; attached: boolean; tc: { handle: number } }>;
        }>;
        expect(st[0]!.attachments[0]).toMatchObject({ kind: "clsact-ingress", attached: true });

        // Upgrade while 2000 paced packets flow: the filter's program is replaced in place.
        const sending = lab.sendPaced(2000, 9, 50, 2);
        await new Promise((r) => setTimeout(r, 300));
        const up = await cli(
          "load",
          lab.nf(NF, src("if u.dport == 10 { drop }")),
          "--dev",
          lab.devA,
          "--netns",
          lab.nsA,
          "--tc-mode",
          "clsact",
        );
        expect(up.err).toBe("");
        expect(up.out).toMatch(/replaced program id \d+ → \d+/);
        expect(await sending).toBe(2000);
        expect((await countersOf(NF)).udp_seen).toBe(12 + 2000);
        const st2 = JSON.parse((await cli("status", NF, "--json")).out) as typeof st;
        expect(st2[0]!.program.id).not.toBe(st[0]!.program.id);
        expect(st2[0]!.attachments[0]!.tc.handle).toBe(st[0]!.attachments[0]!.tc.handle);
        expect(tc("filter", "show", "dev", lab.devA, "ingress").match(/direct-action/g)).toHaveLength(1);

        const un = await cli("unload", NF);
        expect(un.out).toMatch(/clsact ingress filter handle \d+, clsact qdisc removed/);
        expect(tc("qdisc", "show", "dev", lab.devA)).not.toMatch(/clsact/);
        // This NF's own kernel objects (other suites load programs concurrently): all gone.
        const progs = [st[0]!.program.id, st2[0]!.program.id];
        expect(await leftBehind({ progs, maps: st2[0]!.maps.map((m) => m.id) })).toEqual([]);
      } finally {
        lab.forget(NF);
      }
    },
  );
});
