// Live tier (root) for observing NFs: `nfc watch` on a loaded heavy_hitter while a heavy flow
// crosses a veth pair in namespaces this suite creates (netlab.ts: unique names, 198.18.96.0/30,
// removed even on failure), and a ring-buffer flood with no reader: the drops are counted and
// every packet still gets its verdict. Senders are bounded in count and time.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { requireKernel } from "../kernel/testing.js";
import { NetLab, cli, countersOf } from "./netlab.js";

const lab = new NetLab("o", 96);
const tag = `${process.pid % 100000}`;
const HH = `hh${tag}`;
const FLOOD = `fl${tag}`;
const files = {
  hh: lab.nf(
    HH,
    readFileSync("examples/heavy_hitter.nf", "utf8").replace("nf heavy_hitter on xdp", `nf ${HH} on xdp`),
  ),
  flood: lab.nf(
    FLOOD,
    `nf ${FLOOD} on xdp
event seen { src: ip4, dst: ip4, len: u32 }
counter udp_passed
on packet {
  let ip = ipv4 else { pass }
  let u = udp else { pass }
  emit seen { src = ip.src, dst = ip.dst, len = pkt_len() }
  udp_passed += 1
  pass
}
`,
  ),
};

describe.runIf(requireKernel())("observe (live)", () => {
  beforeAll(() => lab.up());
  afterAll(() => lab.close());

  test("nfc watch prints the block of a heavy flow's source, then --json", { timeout: 120_000 }, async () => {
    const load = await cli("load", files.hh, "--dev", lab.devA, "--netns", lab.nsA, "--set", "threshold=100");
    expect(load.err).toBe("");
    try {
      const w = cli("watch", HH, "--count", "1", "--seconds", "30");
      await new Promise((r) => setTimeout(r, 500));
      expect(lab.send(300)).toBe(300);
      const out = await w;
      expect(out.err).toBe("");
      const lines = out.out.trim().split("\n");
      expect(lines[0]).toBe(`watching ${HH} (blocked); dropped (ring full): blocked 0`);
      expect(lines[1]).toMatch(
        new RegExp(
          `^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} blocked src=${lab.addrB.replace(/\./g, "\\.")} estimate=101$`,
        ),
      );
      expect(lines.length).toBe(2);
      console.log(
        `$ nfc watch ${HH}  (300 UDP packets of one flow from ${lab.addrB}, threshold=100)\n${out.out}`,
      );
      const c = await countersOf(HH);
      expect(c["blocked.sent"]).toBe(1);
      expect(c.passed).toBe(100);
      expect(c.dropped).toBe(200);
      // the table still holds the source: a new watcher sees nothing until a new block
      const j = await cli("watch", HH, "--json", "--seconds", "1");
      expect(j.out).toBe("");
    } finally {
      await cli("unload", HH);
    }
  });

  test("nfc watch of an NF without events is NF6050 (exit 4)", { timeout: 60_000 }, async () => {
    const plain = lab.nf(
      `pl${tag}`,
      `nf pl${tag} on xdp\ncounter seen\non packet {\n  seen += 1\n  pass\n}\n`,
    );
    expect((await cli("load", plain, "--dev", lab.devA, "--netns", lab.nsA)).err).toBe("");
    try {
      const r = await cli("watch", `pl${tag}`, "--seconds", "1");
      expect(r.code).toBe(4);
      expect(r.err).toContain(`error[NF6050]: \`pl${tag}\` declares no events`);
    } finally {
      await cli("unload", `pl${tag}`);
    }
  });

  test(
    "a flood with no reader fills the ring: drops counted, every packet passed",
    { timeout: 120_000 },
    async () => {
      const load = await cli("load", files.flood, "--dev", lab.devA, "--netns", lab.nsA);
      expect(load.err).toBe("");
      try {
        const n = 15_000; // 24 bytes a record in a 256 KiB ring: 10,922 fit
        expect(lab.send(n)).toBe(n);
        const c = await countersOf(FLOOD);
        expect(c.udp_passed).toBe(n);
        expect(c["seen.sent"]! + c["seen.dropped"]!).toBe(n);
        expect(c["seen.sent"]).toBe(Math.floor((256 * 1024 - 1) / 24));
        expect(c["seen.dropped"]).toBe(n - Math.floor((256 * 1024 - 1) / 24));
        // a reader drains it and gets exactly the records sent
        const w = await cli("watch", FLOOD, "--json", "--seconds", "3");
        const records = w.out
          .trim()
          .split("\n")
          .filter((l) => l.includes('"event":"seen"'));
        expect(records.length).toBe(c["seen.sent"]);
        expect(JSON.parse(records[0]!)).toMatchObject({
          event: "seen",
          src: lab.addrB,
          dst: lab.addrA,
          len: 45,
        });
      } finally {
        await cli("unload", FLOOD);
      }
    },
  );
});
