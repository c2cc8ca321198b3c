// Live tier (root): a loaded NF's sketches of every kind filled by real UDP packets over a veth pair
// (netlab.ts, 198.18.93.0/30), read back with `nfc sketch` (every per-CPU shard merged) and compared
// with the interpreter fed the same packets: the merged memory must be identical (so the hash and the
// index maths are the datapath's), and the CLI's answers must be the interpreter's estimates.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { checkSource } from "../../lang/index.js";
import type { CountMinStore } from "../../lang/interp/kinds/count-min.js";
import { createInterpreter } from "../../lang/interp/index.js";
import { buildPacket } from "../../lang/interp/packet-build.js";
import { requireKernel } from "../kernel/testing.js";
import type { Manifest } from "../manifest.js";
import { NetLab, cli } from "./netlab.js";
import { runDir } from "./record.js";
import { estimate } from "./sketch-image.js";
import type { SketchImage } from "./sketch-image.js";
import { interpImage } from "./sketch-testing.js";

const lab = new NetLab("s", 93);
const NF = `skl${process.pid % 100000}`;
const SRC = `nf ${NF} on xdp
sketch cm: count_min<u16>(rows = 4, width = 256)
sketch cmp: count_min<u16>(rows = 3, width = 64, per_cpu)
sketch cs: count_sketch<u16>(rows = 5, width = 64, per_cpu)
sketch ni: nitro<u16>(rows = 3, width = 64, one_in = 1)
sketch bl: bloom<u16>(bits = 512, hashes = 3, per_cpu)
sketch hl: hll<u16>(precision = 6, groups = 2, per_cpu)
sketch tk: topk<u16>(k = 16)
counter seen
on packet {
  let u = udp else { pass }
  cm.add(u.dport)
  cmp.add(u.dport)
  cs.add(u.dport)
  ni.add(u.dport)
  bl.insert(u.dport)
  hl.add(u.dport, u.dport as u32)
  tk.add(u.dport)
  seen += 1
  pass
}
`;
const file = lab.nf(NF, SRC);
const QNF = `qul${process.pid % 100000}`;
const QSRC = `nf ${QNF} on xdp
queue fq: fifo<u16>(capacity = 64)
queue pq1: pq<u16>(priorities = 4, capacity = 64)
queue pcq: fifo<u32>(capacity = 8, per_cpu)
on packet {
  let u = udp else { pass }
  fq.push(u.dport)
  pq1.push((u.dport as u32) & 3, u.dport)
  pcq.push(u.dport as u32)
  pass
}
`;
const qfile = lab.nf(QNF, QSRC);
// 12 ports (<= k: the top-k board never evicts, so any CPU interleaving gives the same board),
// skewed counts: port 2000 + i appears 10 + 15 * i times.
const PORTS = Array.from({ length: 12 }, (_, i) => Array<number>(10 + 15 * i).fill(2000 + i))
  .flat()
  .map((p, i, all) => all[(i * 41) % all.length]!);

describe.runIf(requireKernel())("nfc sketch on a loaded NF (live)", () => {
  beforeAll(() => lab.up());
  afterAll(() => lab.close());

  test(
    "every kind: kernel merged memory = interpreter's; CLI estimates = interpreter's",
    { timeout: 240_000 },
    async () => {
      try {
        const load = await cli("load", file, "--dev", lab.devA, "--netns", lab.nsA, "--runtime", "bpf");
        expect(load.err).toBe("");
        expect(lab.sendPorts(PORTS)).toBe(PORTS.length);
        const seen = JSON.parse((await cli("counters", NF, "--json")).out) as { seen: number };
        expect(seen.seen).toBe(PORTS.length);

        const program = checkSource(SRC, `${NF}.nf`).program!;
        const it = createInterpreter(program, { cpus: 1 });
        for (const dport of PORTS)
          it.run(
            buildPacket(
              [
                { kind: "eth" },
                { kind: "ipv4", src: lab.addrB, dst: lab.addrA },
                { kind: "udp", sport: 40000, dport },
              ],
              [0x6e, 0x66, 0x63],
            ),
            { cpu: 0, nowNs: 0n, ifindex: 1 },
          );
        const manifest = JSON.parse(readFileSync(`${runDir()}/${NF}/manifest.json`, "utf8")) as Manifest;
        const dumps: Record<string, SketchImage> = {};
        for (const name of ["cm", "cmp", "cs", "ni", "bl", "hl", "tk"]) {
          const r = await cli("sketch", NF, name, "dump", "--json");
          expect(r.err, name).toBe("");
          dumps[name] = JSON.parse(r.out) as SketchImage;
          const mine = interpImage(
            it,
            manifest.maps.find((m) => m.name === name)!,
          );
          expect({ ...dumps[name], shards: 0 }, name).toEqual({ ...mine, shards: 0 });
        }
        // The CLI's answers, key by key, against the interpreter's own operations.
        const key = (p: number): Uint8Array => new Uint8Array([p & 255, p >> 8]);
        for (const p of [2000, 2005, 2011, 2999]) {
          const q = async (...a: string[]): Promise<unknown> =>
            JSON.parse((await cli("sketch", NF, ...a, "--json")).out);
          expect(await q("cm", "estimate", String(p))).toEqual({
            key: String(p),
            estimate: (it.sketches.cm as CountMinStore).estimate(key(p)),
          });
          expect(await q("cs", "estimate", String(p))).toEqual({
            key: String(p),
            estimate: Number(it.stores.cs!.op("estimate", [key(p)], 0)),
          });
          expect(await q("bl", "contains", String(p))).toEqual({ key: String(p), contains: p < 2012 });
          expect(estimate(dumps.tk!, key(p))).toBe(Number(it.stores.tk!.op("count", [key(p)], 0)));
        }
        expect(JSON.parse((await cli("sketch", NF, "hl", "count", "1", "--json")).out)).toEqual({
          group: 1,
          distinct: Number(it.stores.hl!.op("estimate", [new Uint8Array([1, 0, 0, 0])], 0)),
        });
        const top = await cli("sketch", NF, "tk", "top", "3");
        expect(top.out).toBe(`2011 175\n2010 160\n2009 145\n`);
        const wrong = await cli("sketch", NF, "bl", "estimate", "1");
        expect(wrong.code).toBe(4);
        expect(wrong.err).toMatch(
          /error\[NF6019\]: `bl` is a bloom sketch: it answers contains, dump, not estimate/,
        );
        const unknown = await cli("sketch", NF, "nope", "dump");
        expect(unknown.err).toMatch(/error\[NF6009\]/);
        expect((await cli("unload", NF)).code).toBe(0);
      } finally {
        lab.forget(NF);
      }
    },
  );
  test(
    "nfc queue len / peek: fifo, pq and a per-CPU fifo, as the interpreter's pops",
    { timeout: 120_000 },
    async () => {
      try {
        expect((await cli("load", qfile, "--dev", lab.devA, "--netns", lab.nsA)).err).toBe("");
        const ports = [3001, 3006, 3003, 3000, 3005];
        expect(lab.sendPorts(ports)).toBe(ports.length);
        expect((await cli("queue", QNF, "fq", "len")).out).toBe("fq: 5\n");
        expect((await cli("queue", QNF, "fq", "peek")).out).toBe("fq: 3001 (4 more)\n");
        // pq: rank = port & 3, lowest rank first: 3000 (rank 0).
        expect(JSON.parse((await cli("queue", QNF, "pq1", "peek", "--json")).out)).toEqual([
          { len: 5, next: "3000", json: 3000 },
        ]);
        const pc = JSON.parse((await cli("queue", QNF, "pcq", "len", "--json")).out) as Array<{
          cpu: number;
          len: number;
        }>;
        expect(pc.reduce((a, s) => a + s.len, 0)).toBe(5);
        expect(pc.map((s) => s.cpu)).toEqual([...pc.keys()]);
        const wrong = await cli("queue", QNF, "nope", "len");
        expect(wrong.err).toMatch(/error\[NF6009\]: .*`nope`/);
        expect((await cli("unload", QNF)).code).toBe(0);
      } finally {
        lab.forget(QNF);
      }
    },
  );
});
