// `nfc build --emit client` and the TypeScript control plane (client.ts), live (root): a client is
// generated for an NF with a table, a struct table, a sketch, a queue, counters and a config; tsc
// (strict, noUnusedLocals) accepts a program using it and rejects wrong names and wrong key/value
// types; then the generated client itself loads the NF on a veth pair (198.18.93.4/30), adds a
// rule, sees packets dropped and counted, reads the sketch and the queue, sets the config, unloads.
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { requireKernel } from "../kernel/testing.js";
import { NetLab, cli } from "./netlab.js";

const lab = new NetLab("c", 93);
const NF = `cl${process.pid % 100000}`;
const P = `Cl${process.pid % 100000}`;
const file = lab.nf(
  NF,
  `nf ${NF} on xdp
config limit: u32 = 100
type st { packets: u64, bytes: u64 }
table deny: lpm<ip4, u32>(capacity = 64)
table hits: hash<u32, st>(capacity = 64)
sketch ports: count_min<u16>(rows = 2, width = 64)
queue last: fifo<u16>(capacity = 8)
counter dropped, passed
on packet {
  let ip = ipv4 else { pass }
  if let u = udp {
    ports.add(u.dport)
    last.push(u.dport)
  }
  if let r = deny.get(ip.src) {
    if r < limit { dropped += 1; drop }
  }
  passed += 1
  pass
}
`,
);
const api = resolve("dist/compiler/api.js");
const TSCONFIG = {
  compilerOptions: {
    strict: true,
    noUnusedLocals: true,
    module: "nodenext",
    moduleResolution: "nodenext",
    target: "es2022",
    noEmit: true,
    skipLibCheck: true,
    types: ["node"],
    typeRoots: [resolve("node_modules/@types")],
  },
};

function tsc(main: string): { code: number; out: string } {
  writeFileSync(join(lab.dir, "tsconfig.json"), JSON.stringify({ ...TSCONFIG, files: [main] }));
  const r = spawnSync(process.execPath, [resolve("node_modules/typescript/bin/tsc"), "-p", lab.dir], {
    encoding: "utf8",
    timeout: 120_000,
  });
  return { code: r.status ?? -1, out: r.stdout + r.stderr };
}

describe.runIf(requireKernel())("nfc build --emit client, used live", () => {
  beforeAll(() => lab.up());
  afterAll(() => lab.close());

  test(
    "the generated client type-checks, refuses wrong types, and runs the NF",
    { timeout: 300_000 },
    async () => {
      try {
        const b = await cli(
          "build",
          file,
          "-o",
          lab.dir,
          "--emit",
          "client",
          "--client-import",
          api,
          "--no-object",
        );
        expect(b.out).toContain(`wrote ${join(lab.dir, `${NF}.client.ts`)}`);
        writeFileSync(
          join(lab.dir, "use.ts"),
          `import { load${P} } from "./${NF}.client.js";
export async function use(): Promise<bigint> {
  const fw = await load${P}("x.nf", { dev: "eth0" });
  await fw.tables.deny.add("10.0.0.0/8", 7);
  await fw.tables.hits.add(1, { packets: 2n, bytes: "3" });
  const v = await fw.tables.hits.get(1);
  const n: number = (await fw.sketches.ports.estimate(53)) + (await fw.queues.last.len());
  await fw.set({ limit: 5 });
  const c = await fw.counters();
  return c.dropped + c.passed + BigInt(n) + BigInt(v?.packets ?? 0);
}
`,
        );
        const ok = tsc("use.ts");
        expect(ok.out).toBe("");
        expect(ok.code).toBe(0);
        writeFileSync(
          join(lab.dir, "bad.ts"),
          `import { open${P} } from "./${NF}.client.js";
export async function bad(): Promise<void> {
  const fw = open${P}();
  await fw.tables.nope.add("1", 1);
  await fw.tables.deny.add("10.0.0.0/8", { packets: 1 });
  await fw.set({ limt: 5 });
  const c = await fw.counters();
  c.droped;
}
`,
        );
        const bad = tsc("bad.ts");
        expect(bad.code).not.toBe(0);
        expect(bad.out).toMatch(/bad\.ts\(4,.*error TS2339: Property 'nope' does not exist/);
        expect(bad.out).toMatch(/bad\.ts\(5,.*error TS2345/);
        expect(bad.out).toMatch(/bad\.ts\(6,.*error TS2561: .*'limt' does not exist/);
        expect(bad.out).toMatch(/bad\.ts\(8,.*error TS2551: Property 'droped' does not exist/);

        // The generated client, live: vitest imports it (TypeScript) and the package API it names.
        const mod = (await import(join(lab.dir, `${NF}.client.ts`))) as Record<
          string,
          (...a: unknown[]) => unknown
        >;
        type C = {
          tables: {
            deny: { add(k: string, v: number): Promise<void> };
            hits: { list(): Promise<unknown[]> };
          };
          sketches: { ports: { estimate(k: number): Promise<number> } };
          queues: { last: { len(): Promise<number>; peek(): Promise<Array<{ next?: string }>> } };
          counters(): Promise<{ dropped: bigint; passed: bigint }>;
          set(v: { limit: number }): Promise<void>;
          unload(): Promise<void>;
        };
        const fw = (await mod[`load${P}`]!(file, { dev: lab.devA, netns: lab.nsA })) as C;
        await fw.tables.deny.add(`${lab.addrB.replace(/\.\d+$/, ".0")}/24`, 7);
        expect(lab.sendPorts([53, 53, 80])).toBe(3);
        expect(await fw.counters()).toEqual({ dropped: 3n, passed: 0n });
        expect(await fw.sketches.ports.estimate(53)).toBe(2);
        expect(await fw.queues.last.len()).toBe(3);
        expect((await fw.queues.last.peek())[0]!.next).toBe("53");
        await fw.set({ limit: 7 }); // rule id 7 is no longer < limit: passes, state kept
        expect(lab.sendPorts([80])).toBe(1);
        expect(await fw.counters()).toEqual({ dropped: 3n, passed: 1n });
        await fw.unload();
        expect((await cli("status", NF)).err).toMatch(/NF6001/);
      } finally {
        lab.forget(NF);
      }
    },
  );
});
