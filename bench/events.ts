// `npm run bench -- events [--seconds S]`: events per second a loaded NF sustains before its ring
// buffer drops. The NF emits one 16-byte event per packet; a producer runner drives it with
// BPF_PROG_TEST_RUN (repeat R per call, paced to a target rate), while a second runner reads the
// pinned ring exactly as `nfc watch` does (libbpf ring_buffer, records handed over the line
// protocol). Steps of doubling rates, S seconds each (default 1): per step the events sent, the
// drops (`seen.dropped`) and the reader's throughput. The answer is the highest rate with no drop.
// Bounded: at most 12 steps, it stops at the first step with drops after one more.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compile } from "../compiler/api.js";
import { KernelRunner } from "../compiler/kernel/runner.js";
import { buildPacket } from "../lang/interp/packet-build.js";

const NF = `nf evbench on xdp
event seen { src: ip4, dst: ip4, len: u32 }
counter passed
on packet {
  let ip = ipv4 else { pass }
  emit seen { src = ip.src, dst = ip.dst, len = pkt_len() }
  passed += 1
  pass
}
`;

const PACKET = buildPacket([
  { kind: "eth" },
  { kind: "ipv4", src: new Uint8Array([198, 18, 96, 1]), dst: new Uint8Array([198, 18, 96, 2]) },
  { kind: "udp", dport: 53 },
] as never);

export interface EventsStep {
  rate: number;
  seconds: number;
  sent: number;
  dropped: number;
  read: number;
}

export async function runEventsBench(seconds: number): Promise<EventsStep[]> {
  const built = await compile({ file: "evbench.nf", source: NF });
  if (!built.object || !built.manifest) throw new Error("bench events: the NF did not build");
  const work = mkdtempSync(join(tmpdir(), "nfc-evbench-"));
  const pin = `/sys/fs/bpf/nfc-evbench-${process.pid}`;
  const producer = KernelRunner.start();
  const reader = KernelRunner.start();
  const steps: EventsStep[] = [];
  try {
    writeFileSync(join(work, "evbench.bpf.o"), built.object);
    await producer.open(join(work, "evbench.bpf.o"));
    const loaded = await producer.load("evbench");
    if (!loaded.ok) throw new Error("bench events: the NF did not load");
    const ring = built.manifest.maps.find((m) => m.name === "events")!.symbol;
    const counters = built.manifest.maps.find((m) => m.name === "counters")!.symbol;
    const prog = built.manifest.programs[0]!.function;
    const must = async (k: KernelRunner, line: string): Promise<void> => {
      const r = await k.send(line);
      if (!r.ok) throw new Error(`bench events: ${line}: ${r.error}`);
    };
    await must(producer, `pin ${ring} ${pin}`);
    await must(reader, `pinned ring ${pin}`);
    await reader.ringbuf("ring");
    const count = async (name: string): Promise<number> => {
      const e = (await producer.dump(counters))[0]!;
      const c = built.manifest!.counters.find((x) => x.name === name)!;
      return (e.values ?? [e.value!]).reduce(
        (s, v) => s + Number(new DataView(v.buffer, v.byteOffset).getBigUint64(c.offset, true)),
        0,
      );
    };
    for (let rate = 25_000, over = 0; steps.length < 12 && over < 2; rate *= 2) {
      const [sent0, drop0] = [await count("seen.sent"), await count("seen.dropped")];
      let read = 0;
      let producing = true;
      const draining = (async () => {
        while (producing) read += (await reader.events(5)).records.length;
        for (let more = true; more;) {
          const r = await reader.events(0);
          read += r.records.length;
          more = r.more || r.records.length > 0;
        }
      })();
      const tick = 10; // ms between producer calls
      const perCall = Math.max(1, Math.round((rate * tick) / 1000));
      const t0 = Date.now();
      for (let i = 0; Date.now() - t0 < seconds * 1000; i++) {
        await producer.run(prog, PACKET, { repeat: perCall, cpu: 0 });
        const ahead = t0 + (i + 1) * tick - Date.now();
        if (ahead > 0) await new Promise((r) => setTimeout(r, ahead));
      }
      const elapsed = (Date.now() - t0) / 1000;
      producing = false;
      await draining;
      const sent = (await count("seen.sent")) - sent0;
      const dropped = (await count("seen.dropped")) - drop0;
      steps.push({ rate: Math.round((sent + dropped) / elapsed), seconds: elapsed, sent, dropped, read });
      if (dropped > 0) over++;
    }
    return steps;
  } finally {
    await producer.close();
    await reader.close();
    rmSync(pin, { force: true });
    rmSync(work, { recursive: true, force: true });
  }
}

export function formatEventsBench(steps: readonly EventsStep[]): string {
  const ok = steps.filter((s) => s.dropped === 0);
  const best = ok.length > 0 ? Math.max(...ok.map((s) => s.rate)) : 0;
  const rows = steps.map(
    (s) =>
      `  ${String(s.rate).padStart(9)} ev/s offered  sent ${String(s.sent).padStart(9)}  dropped ${String(s.dropped).padStart(9)}  read ${String(Math.round(s.read / s.seconds)).padStart(9)} ev/s`,
  );
  return `events: one 16-byte record per packet, reader = nfc watch's path (runner ring_buffer + line protocol)\n${rows.join("\n")}\n  sustained without drops: ${best} events/s\n`;
}
