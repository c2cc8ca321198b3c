// Events (lang/events.ts) end to end: the interpreter's ring buffer model, the event stream
// comparison, and — kernel tier — interpreter vs kernel event streams on the differential packets
// of every example that emits (with some packets repeated so flows cross their thresholds), and a
// flood that fills the ring: drops are counted exactly as the interpreter predicts, and every
// packet still reaches its verdict.
import { readdirSync, readFileSync } from "node:fs";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { compile } from "../compiler/api.js";
import { runDifferential } from "../compiler/difftest/engine.js";
import { runUserTests } from "../compiler/difftest/usertests.js";
import { diffEvents } from "../compiler/difftest/events.js";
import type { GenPacket } from "../compiler/difftest/packets.js";
import { KernelRunner } from "../compiler/kernel/runner.js";
import { requireKernel } from "../compiler/kernel/testing.js";
import { EVENT_RING_BYTES, ringSlot } from "../lang/events.js";
import { checkSource } from "../lang/index.js";
import { createInterpreter } from "../lang/interp/index.js";
import { buildPacket } from "../lang/interp/packet-build.js";

const root = join(import.meta.dirname, "..");
const emitting = readdirSync(join(root, "examples"))
  .filter((f) => f.endsWith(".nf"))
  .filter((f) => /\bemit\s+\w+\s*\{/.test(readFileSync(join(root, "examples", f), "utf8")))
  .sort();

const FLOOD = `nf flood on xdp
event seen { src: ip4, dst: ip4, len: u32 }
counter passed
on packet {
  let ip = ipv4 else { pass }
  emit seen { src = ip.src, dst = ip.dst, len = pkt_len() }
  passed += 1
  drop
}
`;

const udp = (): Uint8Array =>
  buildPacket([
    { kind: "eth" },
    { kind: "ipv4", src: new Uint8Array([198, 18, 96, 1]), dst: new Uint8Array([198, 18, 96, 2]) },
    { kind: "udp", dport: 53 },
  ] as never);

/** Heavy flows: in each block of 64 packets, every odd one repeats the block's first packet. */
const heavy = (ps: GenPacket[]): GenPacket[] => ps.map((p, i) => (i % 2 === 1 ? ps[i - (i % 64)]! : p));

describe("events without a kernel", () => {
  test("the examples heavy_hitter, syn_guard and topk_report emit", () => {
    expect(emitting).toEqual(["heavy_hitter.nf", "syn_guard.nf", "topk_report.nf"]);
  });

  test("the interpreter's ring fills like the kernel's: drops are counted, the verdict stays", () => {
    const prog = checkSource(FLOOD, "flood.nf").program!;
    const it = createInterpreter(prog);
    const record = prog.events![0]!.record.size; // 16 bytes: id, src, dst, len
    const fits = Math.floor((EVENT_RING_BYTES - 1) / ringSlot(record));
    const p = udp();
    for (let i = 0; i < fits + 5; i++)
      expect(it.run(p, { cpu: 0, nowNs: 0n, ifindex: 1 }).verdict).toBe("drop");
    expect(it.counters["seen.sent"]!.total()).toBe(BigInt(fits));
    expect(it.counters["seen.dropped"]!.total()).toBe(5n);
    expect(it.counters.passed!.total()).toBe(BigInt(fits + 5));
    expect(it.drainEvents().length).toBe(fits);
    expect(it.run(p, { cpu: 0, nowNs: 0n, ifindex: 1 }).events.length).toBe(1); // room again
  });

  test("`every N` sends the 1st, (N+1)th, ... emit of its site per CPU", () => {
    const src = FLOOD.replace("len = pkt_len() }", "len = pkt_len() } every 3");
    const it = createInterpreter(checkSource(src, "f.nf").program!, { cpus: 2 });
    const sent = [0, 1, 2, 3, 4, 5, 6].map(
      (i) => it.run(udp(), { cpu: i % 2, nowNs: 0n, ifindex: 1 }).events.length,
    );
    expect(sent).toEqual([1, 1, 0, 0, 0, 0, 1]); // cpu 0: runs 0,2,4,6 -> 1st and 4th; cpu 1: 1,3,5 -> 1st
    expect(it.counters["every.0"]!.values()).toEqual([4n, 3n]);
  });

  test("a different record, a missing one and an extra one are differences", () => {
    const prog = checkSource(FLOOD, "flood.nf").program!;
    const it = createInterpreter(prog);
    const ev = it.run(udp(), { cpu: 0, nowNs: 0n, ifindex: 1 }).events;
    const other = ev[0]!.bytes.slice();
    other[4] ^= 1; // src
    expect(diffEvents(prog.events!, [ev[0]!.bytes], ev)).toEqual([]);
    expect(diffEvents(prog.events!, [other], ev)[0]).toBe(
      "event 1 of 1: kernel seen { src = 199.18.96.1, dst = 198.18.96.2, len = 42 }, interpreter seen { src = 198.18.96.1, dst = 198.18.96.2, len = 42 }",
    );
    expect(diffEvents(prog.events!, [], ev)[0]).toMatch(/^event 1 of 1: kernel nothing, interpreter seen/);
    expect(diffEvents(prog.events!, [ev[0]!.bytes, other], ev)[0]).toMatch(
      /^event 2 of 2: kernel seen .*, interpreter nothing$/,
    );
  });
});

describe.runIf(requireKernel())("events: interpreter vs kernel", () => {
  for (const f of emitting)
    test(`${f}: event streams equal on 4,000 differential packets`, { timeout: 600_000 }, async () => {
      const file = join(root, "examples", f);
      const r = await runDifferential(file, readFileSync(file, "utf8"), { packets: 4000, reshape: heavy });
      expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
      expect(r.details).toEqual([]);
      expect(r.differences).toBe(0);
      expect(r.events, "the packets made the NF emit").toBeGreaterThan(0);
    });

  test("`expect event` passes on a sent event and fails, with the unmatched ones, on a wrong one", async () => {
    const src = `${FLOOD}
test "right" {
  packet udp(src = 10.0.0.1, dst = 10.0.0.2) => drop
  expect event seen { src = 10.0.0.1, len = 42 }
}

test "wrong" {
  packet udp(src = 10.0.0.1, dst = 10.0.0.2) => drop
  expect event seen { src = 10.0.0.1 }
  expect event seen { src = 10.0.0.1 }
}
`;
    const r = await runUserTests("flood.nf", src);
    expect(r.diagnostics).toEqual([]);
    expect(r.tests.map((t) => [t.name, t.ok, t.expects])).toEqual([
      ["right", true, 1],
      ["wrong", false, 2],
    ]);
    expect(r.tests[1]!.failures).toEqual([
      "line 19: expect event seen { src = 10.0.0.1 }: the interpreter and the kernel sent no such event (unmatched: none)",
    ]);
  });

  test(
    "a flood fills the ring: drops counted as the interpreter predicts, every verdict kept",
    { timeout: 120_000 },
    async () => {
      const built = await compile({ file: "flood.nf", source: FLOOD });
      const work = mkdtempSync(join(tmpdir(), "nfc-flood-"));
      const k = KernelRunner.start();
      try {
        const obj = join(work, "flood.bpf.o");
        writeFileSync(obj, built.object!);
        await k.open(obj);
        const loaded = await k.load("flood", { file: "flood.nf", text: FLOOD });
        expect(loaded.ok).toBe(true);
        // No reader: the ring is never drained during the 20,000 runs of one test_run call.
        const runs = 20_000;
        const got = await k.run(built.manifest!.programs[0]!.function, udp(), { repeat: runs, cpu: 0 });
        expect(got.retval).toBe(1); // XDP_DROP: the verdict of every run
        const it = createInterpreter(checkSource(FLOOD, "flood.nf").program!);
        for (let i = 0; i < runs; i++) it.run(udp(), { cpu: 0, nowNs: 0n, ifindex: 1 });
        const block = (await k.dump(built.manifest!.maps.find((m) => m.name === "counters")!.symbol))[0]!;
        const shard = (block.values ?? [block.value!])[0]!;
        const u64 = (name: string): bigint => {
          const c = built.manifest!.counters.find((x) => x.name === name)!;
          return new DataView(shard.buffer, shard.byteOffset).getBigUint64(c.offset, true);
        };
        expect(u64("passed")).toBe(BigInt(runs));
        expect(u64("seen.dropped")).toBeGreaterThan(0n);
        expect(u64("seen.sent")).toBe(it.counters["seen.sent"]!.total());
        expect(u64("seen.dropped")).toBe(it.counters["seen.dropped"]!.total());
        // A reader now gets exactly the records that fit, oldest first.
        await k.ringbuf(built.manifest!.maps.find((m) => m.name === "events")!.symbol);
        let n = 0;
        for (let more = true; more;) {
          const r = await k.events(0);
          n += r.records.length;
          more = r.more;
        }
        expect(BigInt(n)).toBe(it.counters["seen.sent"]!.total());
      } finally {
        await k.close();
        rmSync(work, { recursive: true, force: true });
      }
    },
  );
});
