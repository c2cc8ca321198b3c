// Live tier (root): state kept across program replacement. `nfc set` changes a config's effect on
// real traffic without losing table entries or counters; `nfc load` of an NF that is up replaces it
// atomically under steady traffic (every packet sent is counted, counters continue), refuses a map
// whose layout changed (NF6020) unless `--reset`, and a hook change (NF6021). Namespaces, veth and
// 198.18.92.0/30 from netlab.ts, removed even on failure.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { requireKernel } from "../kernel/testing.js";
import { NetLab, cli, countersOf } from "./netlab.js";

const lab = new NetLab("u", 92);
const tag = `${process.pid % 100000}`;
const CF = `cf${tag}`;
const FW = `fwu${tag}`;
const firewall = readFileSync("examples/firewall.nf", "utf8").replace(
  "nf firewall on xdp",
  `nf ${FW} on xdp`,
);
const files = {
  cf: lab.nf(
    CF,
    `nf ${CF} on xdp
config block_port: u16 = 0
table marks: hash<ip4, u32>(capacity = 64)
counter passed, dropped
on packet {
  let u = udp else { pass }
  if u.dport == block_port { dropped += 1; drop }
  passed += 1
  pass
}
`,
  ),
  v1: lab.nf(FW, firewall),
  // v2: the same maps, one more rule (UDP to port 7 is dropped and counted as denied).
  v2: join(lab.dir, "v2", `${FW}.nf`),
  // v3: one more counter: the counters map changes layout.
  v3: join(lab.dir, "v3", `${FW}.nf`),
  tc: join(lab.dir, "tc", `${FW}.nf`),
};

describe.runIf(requireKernel())("nfc set and upgrades keep state (live)", () => {
  beforeAll(() => {
    lab.up();
    for (const [f, src] of [
      [
        files.v2,
        firewall.replace(
          "on packet {\n",
          "on packet {\n  if let u = udp { if u.dport == 7 { denied += 1; drop } }\n",
        ),
      ],
      [
        files.v3,
        firewall.replace("counter allowed, denied, not_ip", "counter allowed, denied, not_ip, extra"),
      ],
      [files.tc, firewall.replace(`nf ${FW} on xdp`, `nf ${FW} on tc ingress`)],
    ] as const) {
      mkdirSync(join(f, ".."), { recursive: true });
      writeFileSync(f, src);
    }
  });
  afterAll(() => lab.close());

  test(
    "nfc set changes behaviour on live traffic and keeps tables and counters",
    { timeout: 180_000 },
    async () => {
      try {
        expect((await cli("load", files.cf, "--dev", lab.devA, "--netns", lab.nsA)).code).toBe(0);
        expect((await cli("table", CF, "marks", "add", "198.18.92.2", "5")).code).toBe(0);
        expect(lab.send(10)).toBe(10);
        expect(await countersOf(CF)).toEqual({ passed: 10, dropped: 0 });
        const set = await cli("set", CF, "block_port=9");
        expect(set.err).toBe("");
        expect(set.out).toMatch(
          new RegExp(
            `^${CF}: block_port=9 \\(was 0\\)\\nreplaced program id \\d+ → \\d+ on ${lab.devA} \\(bpf_link_update, atomic\\)\\nkept 2 maps with their state`,
          ),
        );
        expect(lab.send(10)).toBe(10);
        expect(await countersOf(CF)).toEqual({ passed: 10, dropped: 10 });
        expect((await cli("table", CF, "marks", "get", "198.18.92.2")).out).toBe("198.18.92.2 5\n");
        expect((await cli("status", CF)).out).toContain("configs: block_port=9");
        expect((await cli("set", CF, "block_port=70000")).err).toContain(
          "error[NF6011]: config `block_port` `70000` does not fit in `u16`",
        );
        expect((await cli("set", CF, "blok=1")).err).toContain("error[NF6018]");
        expect((await cli("unload", CF)).code).toBe(0);
      } finally {
        lab.forget(CF);
      }
    },
  );

  test(
    "upgrade under steady traffic: atomic replace, no packet lost or uncounted, entries kept",
    { timeout: 240_000 },
    async () => {
      try {
        expect((await cli("load", files.v1, "--dev", lab.devA, "--netns", lab.nsA)).code).toBe(0);
        expect((await cli("table", FW, "deny4", "add", "10.0.0.0/8", "3")).code).toBe(0);
        // Prebuild v2 so that the replace itself is what runs while packets flow.
        const out = join(lab.dir, "v2out");
        expect((await cli("build", files.v2, "-o", out)).code).toBe(0);
        const total = 4000;
        const sending = lab.sendPaced(total, 9, 20, 5);
        let before = 0;
        for (let i = 0; i < 200 && before < 200; i++) {
          await new Promise((r) => setTimeout(r, 25));
          before = (await countersOf(FW)).allowed ?? 0;
        }
        const up = await cli("load", out, "--dev", lab.devA, "--netns", lab.nsA);
        expect(up.err).toBe("");
        expect(up.out).toMatch(
          /replaced program id \d+ → \d+ on .* \(bpf_link_update, atomic\)\nkept 4 maps with their state \(deny4, deny6, rule_hits, counters\)/,
        );
        const during = (await countersOf(FW)).allowed!;
        const sent = await sending;
        expect(sent).toBe(total);
        const after = await countersOf(FW);
        console.log(
          `upgrade under traffic: sent ${sent}, counted ${after.allowed} (${before} before the replace started, ${during} right after it)`,
        );
        expect(before).toBeGreaterThan(0);
        expect(during).toBeLessThan(total); // the replace happened while packets were still flowing
        expect(after).toEqual({ allowed: total, denied: 0, not_ip: 0 });
        // v2 runs: port 7 is dropped now; the deny entry survived the upgrade.
        expect(lab.send(5, 7)).toBe(5);
        expect(await countersOf(FW)).toEqual({ allowed: total, denied: 5, not_ip: 0 });
        expect((await cli("table", FW, "deny4", "list")).out).toBe("10.0.0.0/8 3\n1 entries\n");

        // A changed counters layout is refused, naming the map, unless --reset.
        const v3 = await cli("load", files.v3, "--dev", lab.devA, "--netns", lab.nsA);
        expect(v3.err).toContain(
          "error[NF6020]: map `counters` changed layout: value 24 bytes (allowed:u64@0,denied:u64@8,not_ip:u64@16) → 32 bytes",
        );
        expect(v3.err).toContain("--reset counters");
        expect((await countersOf(FW)).allowed).toBe(total); // nothing changed
        const reset = await cli(
          "load",
          files.v3,
          "--dev",
          lab.devA,
          "--netns",
          lab.nsA,
          "--reset",
          "counters",
        );
        expect(reset.err).toBe("");
        expect(reset.out).toContain("new or reset maps: counters");
        expect(await countersOf(FW)).toEqual({ allowed: 0, denied: 0, not_ip: 0, extra: 0 });
        expect((await cli("table", FW, "deny4", "list")).out).toBe("10.0.0.0/8 3\n1 entries\n");
        // Moving hooks is not an in-place upgrade.
        expect((await cli("load", files.tc, "--dev", lab.devA, "--netns", lab.nsA)).err).toContain(
          "error[NF6021]",
        );
        expect((await cli("unload", FW)).code).toBe(0);
      } finally {
        lab.forget(FW);
      }
    },
  );
});
