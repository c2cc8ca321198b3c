// Live tier (root): `nfc table NF TABLE add --file rules.jsonl` on a loaded NF (netlab.ts, veth pair
// in 198.18.94.0/30). Hash, LPM and array loads (comments and blank lines skipped), the rules
// taking effect on real packets, a bad line (NF6024 with its line number, nothing written) and a
// table filling up (NF6025: the lines before it are in).
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { requireKernel } from "../kernel/testing.js";
import { NetLab, cli, countersOf } from "./netlab.js";

const lab = new NetLab("t", 94);
const NF = `tf${process.pid % 100000}`;
const file = lab.nf(
  NF,
  `nf ${NF} on xdp
type st { packets: u64, bytes: u64 }
table deny: lpm<ip4, u32>(capacity = 4096)
table seen: hash<ip4, u32>(capacity = 3000)
table arr: array<u32, st>(capacity = 16)
counter dropped
on packet {
  let ip = ipv4 else { pass }
  if let r = deny.get(ip.src) {
    if r > 0 { dropped += 1; drop }
  }
  pass
}
`,
);
const rules = (name: string, lines: string[]): string => {
  const f = join(lab.dir, name);
  writeFileSync(f, `${lines.join("\n")}\n`);
  return f;
};

describe.runIf(requireKernel())("nfc table add --file (live)", () => {
  beforeAll(() => lab.up());
  afterAll(() => lab.close());

  test(
    "hash, LPM and array loads, effect on traffic, NF6024 bad line, NF6025 full",
    { timeout: 240_000 },
    async () => {
      try {
        expect((await cli("load", file, "--dev", lab.devA, "--netns", lab.nsA)).err).toBe("");
        // 2000 hash entries: one batch.
        const many = Array.from({ length: 2000 }, (_, i) =>
          JSON.stringify({ key: `10.1.${i >> 8}.${i & 255}`, value: i }),
        );
        const r1 = await cli("table", NF, "seen", "add", "--file", rules("seen.jsonl", many));
        expect(r1.err).toBe("");
        expect(r1.out).toMatch(/^seen: added 2000 entries from .* entries\/s, batched\)\n$/);
        expect((await cli("table", NF, "seen", "get", "10.1.7.207")).out).toBe("10.1.7.207 1999\n");
        // LPM (batched on 6.18; per record where a kernel has no batch ops for it): the peer's /30 denied.
        const lpm = ["# deny the peer", `["198.18.94.0/30", 1]`, "", `{"key": "10.0.0.0/8", "value": 0}`];
        const r2 = await cli("table", NF, "deny", "add", "--file", rules("deny.jsonl", lpm), "--json");
        expect(JSON.parse(r2.out)).toMatchObject({ ok: true, entries: 2 });
        expect(lab.send(5)).toBe(5);
        expect((await countersOf(NF)).dropped).toBe(5);
        // Struct values in an array, by JSON object and by k=v text.
        const arr = [`[3, {"packets": 7, "bytes": 700}]`, `{"key": 4, "value": "packets=1,bytes=2"}`];
        expect((await cli("table", NF, "arr", "add", "--file", rules("arr.jsonl", arr))).err).toBe("");
        expect((await cli("table", NF, "arr", "get", "3")).out).toBe("3 packets=7,bytes=700\n");
        // A bad line: its number, and nothing written (the good line before it is not in either).
        const bad = [`["10.9.0.1", 1]`, `["10.9.0.2", 2]`, `["10.9.0.300", 3]`];
        const r3 = await cli("table", NF, "seen", "add", "--file", rules("bad.jsonl", bad));
        expect(r3.code).toBe(4);
        expect(r3.err).toMatch(/error\[NF6024\]: .*bad\.jsonl:3: .*10\.9\.0\.300/);
        expect((await cli("table", NF, "seen", "get", "10.9.0.1")).err).toMatch(/NF6013/);
        const r4 = await cli(
          "table",
          NF,
          "seen",
          "add",
          "--file",
          rules("notjson.jsonl", [`["10.9.0.1", 1]`, "10.9.0.2 2"]),
        );
        expect(r4.err).toMatch(/error\[NF6024\]: .*notjson\.jsonl:2: not JSON/);
        // Full: 3000 slots, 2000 used; 1500 new keys → 1000 in, line 1001 named.
        const more = Array.from({ length: 1500 }, (_, i) => `["10.2.${i >> 8}.${i & 255}", 1]`);
        const r5 = await cli("table", NF, "seen", "add", "--file", rules("more.jsonl", more));
        expect(r5.code).toBe(4);
        expect(r5.err).toMatch(
          /error\[NF6025\]: `seen` is full \(capacity 3000\): 1000 entries were added, .*more\.jsonl:1001/,
        );
        expect((await cli("table", NF, "seen", "list", "--json")).out.match(/"key"/g)!.length).toBe(3000);
        expect((await cli("unload", NF)).code).toBe(0);
      } finally {
        lab.forget(NF);
      }
    },
  );
});
