// The VM tier for compiled nfc programs: compiles every example (and test/vm/sk_echo.nf) with
// `--runtime auto` — the pure object always, the kmod object when an operation chose kmod, and
// otherwise a forced `--runtime kmod` build when some structure has a kmod lowering —
// runs per program a fixed packet sequence followed by the host tier's own differential packets
// (compiler/difftest, same generator, seed and count as test/differential.test.ts; the same
// derived configs and table entries, which nfc-loader applies around load: `<nf>.<runtime>.setup`;
// time is the test clock), computes the expected verdicts and digest
// with the reference interpreter on the host, and writes everything the guest needs into one
// directory (objects, `<nf>.pkts`, `extra.txt` = the nfc-loader manifest). initramfs/build.sh ships
// it when NFC_VM_EXTRA points there; the guest's `pkts` lines print verdicts and the digest.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { compile } from "../../compiler/api.js";
import { checkSource } from "../../lang/index.js";
import { createInterpreter } from "../../lang/interp/index.js";
import { buildPacket, type Layer } from "../../lang/interp/packet-build.js";
import { testClockNs } from "../../compiler/difftest/clock.js";
import { generatePackets } from "../../compiler/difftest/packets.js";
import { deriveSetup, tableWrites } from "../../compiler/difftest/setup.js";
import { REPO } from "./vm-tier.js";

const ALL_PROGRAMS = [
  "examples/firewall.nf",
  "examples/heavy_hitter.nf",
  "examples/router.nf",
  "examples/syn_guard.nf",
  "examples/cuckoo_switch.nf",
  "examples/kv_store.nf",
  "examples/nitro_monitor.nf",
  "examples/topk_report.nf",
  "examples/cardinality.nf",
  "examples/eiffel_pacer.nf",
  "examples/carousel.nf",
  "test/vm/sk_echo.nf",
  "test/corpus/valid/cuckoo_learn.nf",
  "test/corpus/valid/ordered_keys.nf",
  "test/corpus/valid/topk_percpu.nf",
];
/** NFC_VM_PROGRAMS=a.nf,b.nf restricts the list (development; CI runs them all). */
export const PROGRAMS = process.env.NFC_VM_PROGRAMS
  ? ALL_PROGRAMS.filter((p) => process.env.NFC_VM_PROGRAMS!.split(",").includes(p))
  : ALL_PROGRAMS;
const XDP_RETVAL: Record<string, number> = { aborted: 0, drop: 1, pass: 2, tx: 3, redirect: 4 };
/** TC programs (carousel): TC_ACT_OK / TC_ACT_SHOT / TC_ACT_REDIRECT (`tx` is bpf_redirect on TC). */
const TC_RETVAL: Record<string, number> = { pass: 0, drop: 2, tx: 7, redirect: 7 };
/** BPF_PROG_TEST_RUN on SCHED_CLS refuses (EINVAL) an IPv4 / IPv6 ethertype without room for the
 *  fixed L3 header (compiler/difftest/CONTEXT.md): such packets are left out on both sides. */
const tcRunnable = (b: Uint8Array): boolean => {
  const et = (b[12]! << 8) | b[13]!;
  return et === 0x0800 ? b.length >= 34 : et === 0x86dd ? b.length >= 54 : true;
};
/** As test/differential.test.ts: 10,000 packets from seed 1 (about 30% malformed). */
export const DIFF_PACKETS = 10_000;
export const DIFF_SEED = 1;

export interface Expected {
  /** nfc-loader result name: `ex_<nf>_<runtime>`. */
  name: string;
  nf: string;
  runtime: "bpf" | "kmod";
  /** Verdicts of the fixed sequence (its decisions are asserted by the test). */
  fixedVerdicts: number[];
  /** Packets per retval 0..6, then any other: what the guest prints as `counts=`. */
  counts: string;
  digest: string;
  /** Packets the guest runs (TC: fewer, see tcRunnable). */
  packets: number;
  /** The digest if every packet passed unchanged: an object that differs made decisions. */
  passThrough: string;
}

/** FNV-1a 64 over retval (u32 LE), length (u32 LE), bytes per packet — as nfc-loader's `pkts`. */
export function digest(runs: { retval: number; bytes: Uint8Array }[]): string {
  let h = 0xcbf29ce484222325n;
  const eat = (b: number) => {
    h = ((h ^ BigInt(b)) * 0x100000001b3n) & 0xffffffffffffffffn;
  };
  for (const r of runs) {
    for (const v of [r.retval, r.bytes.length]) for (let i = 0; i < 4; i++) eat((v >>> (8 * i)) & 0xff);
    for (const b of r.bytes) eat(b);
  }
  return h.toString(16).padStart(16, "0");
}

/** A fixed sequence: a few hosts, repeated flows, TCP SYN/ACK (a 70-SYN burst exceeds
 *  syn_guard's limit of 64), UDP, ICMP and one IPv6 packet. */
export function packets(): Uint8Array[] {
  const eth: Layer = { kind: "eth", src: "02:00:00:00:00:01", dst: "02:00:00:00:00:02" };
  const hosts = ["10.0.0.1", "10.0.0.2", "10.0.0.7", "192.168.1.9", "172.16.0.3", "10.0.0.9"];
  const out: Uint8Array[] = [];
  for (let i = 0; i < 40; i++) {
    const src = hosts[(i * 7) % hosts.length]!;
    const dst = hosts[(i * 5 + 1) % hosts.length]!;
    const ip: Layer = { kind: "ipv4", src, dst, ttl: 64, tos: 0, id: i };
    const l4: Layer =
      i % 5 === 0
        ? { kind: "udp", sport: 1000 + (i % 3), dport: 53 }
        : i % 7 === 0
          ? { kind: "icmp", type: 8, code: 0 }
          : { kind: "tcp", sport: 40000 + (i % 4), dport: 80, flags: i % 3 === 0 ? 0x10 : 0x02, seq: i };
    out.push(buildPacket([eth, ip, l4], [i & 0xff, 0xab]));
  }
  for (let i = 0; i < 70; i++)
    out.push(
      buildPacket([
        eth,
        { kind: "ipv4", src: "10.0.0.9", dst: "10.0.0.1", ttl: 64, tos: 0, id: i },
        { kind: "tcp", sport: 50000 + i, dport: 443, flags: 0x02, seq: i },
      ]),
    );
  out.push(
    buildPacket([
      eth,
      { kind: "ipv6", src: "2001:db8::1", dst: "2001:db8::2", hop: 64 },
      { kind: "udp", sport: 1, dport: 2 },
    ]),
  );
  return out;
}

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

/** Length of the fixed sequence that precedes the differential packets. */
const FIXED = packets().length;

function histogram(retvals: number[]): string {
  const c = new Array<number>(8).fill(0);
  for (const r of retvals) c[Math.min(r, 7)]!++;
  return c.join(",");
}

/** Builds the guest directory; returns what each `pkts` line must print. */
export async function prepareExamples(dir: string): Promise<Expected[]> {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const lines = ["# generated by test/vm/examples.ts", "probe  abi_probe"];
  const expected: Expected[] = [];
  for (const rel of PROGRAMS) {
    const file = join(REPO, rel);
    const source = readFileSync(file, "utf8");
    const checked = checkSource(source, basename(file));
    if (!checked.program) throw new Error(`${rel} does not check`);
    const tc = checked.program.hook !== "xdp";
    const pkts = [
      ...packets(),
      ...generatePackets(checked.program, DIFF_PACKETS, DIFF_SEED).map((p) => p.bytes),
    ].filter((b) => !tc || tcRunnable(b));
    const built = await compile({ file: basename(file), source }, { runtime: "auto", testClock: true });
    // A kmod lowering `auto` never picks (it does not pay) is still verified: a second, forced build.
    const forced = !built.objects?.kmod
      ? await compile({ file: basename(file), source }, { runtime: "kmod", testClock: true })
      : undefined;
    // Only a real kmod object (some structure through kfuncs), not the pure program renamed.
    if (forced?.objects?.kmod?.manifest.runtime === "kmod")
      built.objects = { ...built.objects, kmod: forced.objects.kmod };
    const errors = [...built.diagnostics, ...(forced?.diagnostics ?? [])].filter(
      (d) => d.severity === "error",
    );
    if (errors.length > 0) throw new Error(`${rel}: ${errors.map((d) => d.message).join("; ")}`);
    const nf = checked.program.name;
    writeFileSync(join(dir, `${nf}.pkts`), `${pkts.map(hex).join("\n")}\n`);
    for (const [rt, o] of Object.entries(built.objects ?? {})) {
      const runtime = rt as "bpf" | "kmod";
      // The interpreter twin of this object: kmod structures may differ observably (e.g. placement).
      const kmodStates = new Set(
        runtime === "kmod"
          ? ((forced ?? built).explain ?? []).filter((c) => c.backend === "kmod").map((c) => c.structure)
          : [],
      );
      const interp = createInterpreter(checked.program, { kmodStates });
      // The host tier's setup: configs (nfc-loader sets .rodata before load), then table entries.
      const setup = deriveSetup(checked.program, o.manifest, DIFF_SEED);
      for (const c of setup.configs) interp.setConfig(c.name, c.value);
      const writes = tableWrites(setup, o.manifest, interp);
      const setupFile = `${nf}.${runtime}.setup`;
      writeFileSync(
        join(dir, setupFile),
        [
          ...setup.configs.map((c) => `config ${c.symbol} ${hex(c.bytes)}\n`),
          ...writes.map((w) => `${w.map} ${hex(w.key)} ${hex(w.value)}\n`),
        ].join(""),
      );
      const runs = pkts.map((p, i) => {
        const r = interp.run(p, { cpu: 0, nowNs: testClockNs(i), ifindex: 1 });
        return { retval: (tc ? TC_RETVAL : XDP_RETVAL)[r.verdict]!, bytes: r.packet };
      });
      writeFileSync(join(dir, o.file), o.object!);
      const name = `ex_${nf}_${runtime}`;
      lines.push(`pkts   ${name} ${o.file} ${o.manifest.programs[0]!.function} ${nf}.pkts ${setupFile}`);
      expected.push({
        name,
        nf,
        runtime,
        fixedVerdicts: runs.slice(0, FIXED).map((r) => r.retval),
        counts: histogram(runs.map((r) => r.retval)),
        digest: digest(runs),
        packets: pkts.length,
        passThrough: digest(pkts.map((b) => ({ retval: (tc ? TC_RETVAL : XDP_RETVAL).pass!, bytes: b }))),
      });
    }
  }
  writeFileSync(join(dir, "extra.txt"), `${lines.join("\n")}\n`);
  return expected;
}
