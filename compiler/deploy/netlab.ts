// Test fixture for the live deploy tier (tests only): two network namespaces joined by a veth
// pair, unique names per process, addresses in 198.18.0.0/15 only, IPv6 off and static neighbours
// so that the only frames crossing are the UDP datagrams `send` emits (counters are exact). The
// CLI runs in-process; NFC_RUN_DIR points at a temporary directory. `close()` removes everything.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { run, type Io } from "../cli/main.js";
import { PIN_ROOT } from "../manifest.js";
import { DeployKernel, type KernelIds } from "./kernel.js";

const SENDER = `import dgram from "node:dgram";
// node send.mjs DST PORT COUNT [BURST PAUSE_MS]: COUNT datagrams, a pause after every BURST.
const [dst, port, n, burst, pause] = process.argv.slice(2).map((x, i) => (i === 0 ? x : Number(x)));
setTimeout(() => process.exit(3), 10000).unref();
const s = dgram.createSocket("udp4");
let sent = 0;
for (let i = 0; i < n; i++) {
  await new Promise((r) => s.send(Buffer.from("nfc"), port, dst, () => { sent++; r(); }));
  if (burst && (i + 1) % burst === 0) await new Promise((r) => setTimeout(r, pause));
}
s.close();
console.log("sent " + sent);
`;

const SEQ_SENDER = `import dgram from "node:dgram";
import { readFileSync } from "node:fs";
// node sendseq.mjs DST PORTS.json: one datagram to each port of the list, in order (at most 100000).
const [dst, file] = process.argv.slice(2);
const ports = JSON.parse(readFileSync(file, "utf8")).slice(0, 100000);
setTimeout(() => process.exit(3), 20000).unref();
const s = dgram.createSocket("udp4");
let sent = 0;
for (const port of ports) await new Promise((r) => s.send(Buffer.from("nfc"), port, dst, () => { sent++; r(); }));
s.close();
console.log("sent " + sent);
`;

export function sh(cmd: string, args: string[], allowFail = false): string {
  const r = spawnSync(cmd, args, { encoding: "utf8", timeout: 10_000 });
  if (!allowFail && r.status !== 0)
    throw new Error(`${cmd} ${args.join(" ")}: ${r.stderr || r.error?.message}`);
  return r.stdout;
}

export class NetLab {
  readonly dir = mkdtempSync(join(tmpdir(), "nfc-deploy-"));
  readonly nsA: string;
  readonly nsB: string;
  readonly devA: string;
  readonly devB: string;
  private readonly nfs = new Set<string>();

  /** `id` keeps names unique per suite; `net` is the third octet of 198.18.net.0/30. */
  constructor(
    readonly id: string,
    readonly net: number,
  ) {
    const tag = `${process.pid % 100000}${id}`;
    this.nsA = `nfc${tag}a`;
    this.nsB = `nfc${tag}b`;
    this.devA = `nf${tag}a`;
    this.devB = `nf${tag}b`;
    process.env.NFC_RUN_DIR = join(this.dir, "run");
    writeFileSync(join(this.dir, "send.mjs"), SENDER);
    writeFileSync(join(this.dir, "sendseq.mjs"), SEQ_SENDER);
  }

  get addrA(): string {
    return `198.18.${this.net}.1`;
  }

  get addrB(): string {
    return `198.18.${this.net}.2`;
  }

  up(): void {
    this.down();
    sh("ip", ["netns", "add", this.nsA]);
    sh("ip", ["netns", "add", this.nsB]);
    for (const ns of [this.nsA, this.nsB])
      sh("ip", [
        "netns",
        "exec",
        ns,
        "sysctl",
        "-qw",
        "net.ipv6.conf.all.disable_ipv6=1",
        "net.ipv6.conf.default.disable_ipv6=1",
      ]);
    sh("ip", [
      "link",
      "add",
      this.devA,
      "netns",
      this.nsA,
      "type",
      "veth",
      "peer",
      "name",
      this.devB,
      "netns",
      this.nsB,
    ]);
    sh("ip", ["-n", this.nsA, "addr", "add", `${this.addrA}/30`, "dev", this.devA]);
    sh("ip", ["-n", this.nsB, "addr", "add", `${this.addrB}/30`, "dev", this.devB]);
    for (const [ns, dev] of [
      [this.nsA, this.devA],
      [this.nsB, this.devB],
      [this.nsA, "lo"],
    ] as const)
      sh("ip", ["-n", ns, "link", "set", dev, "up"]);
    const mac = (ns: string, dev: string): string =>
      (JSON.parse(sh("ip", ["-n", ns, "-j", "link", "show", dev])) as Array<{ address: string }>)[0]!.address;
    sh("ip", [
      "-n",
      this.nsB,
      "neigh",
      "replace",
      this.addrA,
      "lladdr",
      mac(this.nsA, this.devA),
      "dev",
      this.devB,
    ]);
    sh("ip", [
      "-n",
      this.nsA,
      "neigh",
      "replace",
      this.addrB,
      "lladdr",
      mac(this.nsB, this.devB),
      "dev",
      this.devA,
    ]);
  }

  /** Writes `source` as `<name>.nf` in the lab directory; the NF is forgotten at close. */
  nf(nf: string, source: string): string {
    this.nfs.add(nf);
    const f = join(this.dir, `${nf}.nf`);
    writeFileSync(f, source);
    return f;
  }

  /** Removes an NF's pins and record whatever state a failed test left (unpinning detaches). */
  forget(nf: string): void {
    rmSync(`${PIN_ROOT}/${nf}`, { recursive: true, force: true });
    rmSync(join(this.dir, "run", nf), { recursive: true, force: true });
  }

  down(): void {
    for (const nf of this.nfs) this.forget(nf);
    sh("ip", ["netns", "del", this.nsA], true);
    sh("ip", ["netns", "del", this.nsB], true);
  }

  close(): void {
    this.down();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private senderArgs(n: number, port: number, burst?: number, pauseMs?: number): string[] {
    const extra = burst ? [String(burst), String(pauseMs ?? 1)] : [];
    return [
      "netns",
      "exec",
      this.nsB,
      process.execPath,
      join(this.dir, "send.mjs"),
      this.addrA,
      String(port),
      String(n),
      ...extra,
    ];
  }

  /** Sends `n` UDP datagrams from B to A's `port`; returns how many were sent. */
  send(n: number, port = 9): number {
    const out = sh("ip", this.senderArgs(n, port));
    return Number(/sent (\d+)/.exec(out)?.[1] ?? -1);
  }

  /** Sends one UDP datagram from B to each of A's `ports`, in order; returns how many were sent. */
  sendPorts(ports: readonly number[]): number {
    const file = join(this.dir, "ports.json");
    writeFileSync(file, JSON.stringify(ports));
    const out = sh("ip", [
      "netns",
      "exec",
      this.nsB,
      process.execPath,
      join(this.dir, "sendseq.mjs"),
      this.addrA,
      file,
    ]);
    return Number(/sent (\d+)/.exec(out)?.[1] ?? -1);
  }

  /** The same in the background, paced (a pause after every `burst`): resolves to the count sent. */
  sendPaced(n: number, port: number, burst: number, pauseMs: number): Promise<number> {
    return new Promise((resolve, reject) => {
      const p = spawn("ip", this.senderArgs(n, port, burst, pauseMs), { stdio: ["ignore", "pipe", "pipe"] });
      let out = "";
      p.stdout.on("data", (d: Buffer) => (out += d.toString()));
      p.on("error", reject);
      p.on("exit", () => resolve(Number(/sent (\d+)/.exec(out)?.[1] ?? -1)));
    });
  }
}

export async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const o = { out: "", err: "" };
  const io: Io = { out: (s) => void (o.out += s), err: (s) => void (o.err += s), readStdin: () => "" };
  const code = await run(argv, io);
  return { code, ...o };
}

export async function kernelIds(): Promise<KernelIds> {
  const k = await DeployKernel.start();
  try {
    return await k.ids();
  } finally {
    await k.close();
  }
}

/** The ids of `mine` still in the kernel once it settles: it frees programs and maps asynchronously
 *  (RCU, a work queue), so poll for up to 3 s before calling something left behind. */
export async function leftBehind(mine: Partial<KernelIds>): Promise<number[]> {
  const left = (now: KernelIds): number[] =>
    (["links", "progs", "maps"] as const).flatMap((k) => (mine[k] ?? []).filter((i) => now[k].includes(i)));
  let now = await kernelIds();
  for (let i = 0; i < 30 && left(now).length > 0; i++) {
    await new Promise((r) => setTimeout(r, 100));
    now = await kernelIds();
  }
  return left(now);
}

/** `nfc counters NF --json` as numbers (throws on an error reply). */
export async function countersOf(nf: string): Promise<Record<string, number>> {
  const r = await cli("counters", nf, "--json");
  if (r.err !== "") throw new Error(r.err);
  return JSON.parse(r.out) as Record<string, number>;
}
