// `npm run bench -- table-load [--entries N]`: `nfc table NF TABLE add --file` of N (default 1M)
// rules into a hash table and into an LPM trie of a loaded NF (a veth pair in its own namespaces,
// 198.18.95.0/30, removed afterwards). Prints entries/s with the parse and kernel shares.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { NetLab, cli } from "../compiler/deploy/netlab.js";

export async function runTableLoad(entries: number): Promise<void> {
  const lab = new NetLab("b", 95);
  const nf = `tl${process.pid % 100000}`;
  const file = lab.nf(
    nf,
    `nf ${nf} on xdp
table rules: hash<ip4, u32>(capacity = ${entries})
table prefixes: lpm<ip4, u32>(capacity = ${entries})
on packet {
  let ip = ipv4 else { pass }
  if rules.contains(ip.src) { drop }
  if prefixes.contains(ip.dst) { drop }
  pass
}
`,
  );
  try {
    lab.up();
    const load = await cli("load", file, "--dev", lab.devA, "--netns", lab.nsA);
    if (load.code !== 0) throw new Error(load.err);
    const addr = (i: number): string => `${10 + (i >>> 24)}.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
    for (const [table, key] of [
      ["rules", (i: number) => addr(i)],
      ["prefixes", (i: number) => `${addr((i << 4) >>> 0)}/28`],
    ] as const) {
      const lines = Array.from({ length: entries }, (_, i) => `{"key":"${key(i)}","value":${i}}`);
      const f = join(lab.dir, `${table}.jsonl`);
      writeFileSync(f, `${lines.join("\n")}\n`);
      const r = await cli("table", nf, table, "add", "--file", f, "--json");
      if (r.code !== 0) throw new Error(r.err);
      const j = JSON.parse(r.out) as {
        entries: number;
        seconds: number;
        parse_seconds: number;
        kernel_seconds: number;
        batched: boolean;
      };
      const k = JSON.parse((await cli("status", nf, "--json")).out) as Array<{
        maps: Array<{ name: string; entries: number }>;
      }>;
      const inKernel = k[0]!.maps.find((m) => m.name === table)!.entries;
      console.log(
        `table-load ${table} (${table === "rules" ? "hash<ip4, u32>" : "lpm<ip4, u32>, /28 prefixes"}): ${j.entries} entries in ${j.seconds.toFixed(2)} s = ${Math.round(j.entries / j.seconds)} entries/s (parsing ${j.parse_seconds.toFixed(2)} s, kernel writes ${j.kernel_seconds.toFixed(2)} s = ${Math.round(j.entries / j.kernel_seconds)} entries/s${j.batched ? ", BPF_MAP_UPDATE_BATCH" : ", per record"}); in the map afterwards: ${inKernel}`,
      );
    }
    await cli("unload", nf);
  } finally {
    lab.close();
  }
}
