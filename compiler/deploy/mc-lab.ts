// A real memcached behind a veth pair (tests and bench only): the server namespace runs Debian's
// memcached with UDP on (-U 11211) bound to 198.18.98.1, the client namespace runs mc-client.ts.
// examples/memcached_cache.nf (XDP) and memcached_learn.nf (TC egress) load on the server's veth
// with `nfc load`, sharing their tables. close() kills the server and removes namespaces, pins
// (the shared ones included) and records, whatever state a failure left.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PIN_ROOT } from "../manifest.js";
import { MC_CLIENT } from "./mc-client.js";
import { NetLab, cli, countersOf, sh } from "./netlab.js";

const SHARED = ["cache", "pending", "epoch"];

export class McLab {
  readonly lab = new NetLab("mc", 98);
  private server: ChildProcess | undefined;
  readonly cacheNf: string;
  readonly learnNf: string;
  private readonly files: { cache: string; learn: string };

  constructor(root = ".") {
    const tag = `${process.pid % 100000}`;
    this.cacheNf = `mcc${tag}`;
    this.learnNf = `mcl${tag}`;
    const read = (f: string): string => readFileSync(join(root, "examples", f), "utf8");
    this.files = {
      cache: this.lab.nf(
        this.cacheNf,
        read("memcached_cache.nf").replace("nf memcached_cache ", `nf ${this.cacheNf} `),
      ),
      learn: this.lab.nf(
        this.learnNf,
        read("memcached_learn.nf").replace("nf memcached_learn ", `nf ${this.learnNf} `),
      ),
    };
    writeFileSync(join(this.lab.dir, "mc.mjs"), MC_CLIENT);
  }

  up(): void {
    this.lab.up();
  }

  /** Starts memcached (empty) in the server namespace; waits until it answers `stats`. */
  async startServer(): Promise<void> {
    await this.stopServer();
    this.server = spawn(
      "ip",
      [
        "netns",
        "exec",
        this.lab.nsA,
        "memcached",
        "-U",
        "11211",
        "-p",
        "11211",
        "-l",
        this.lab.addrA,
        "-u",
        "nobody",
        "-m",
        "64",
        "-t",
        "1",
      ],
      { stdio: "ignore" },
    );
    for (let i = 0; i < 50; i++) {
      await new Promise((r) => setTimeout(r, 100));
      if (this.client("stats").cmd_get !== undefined && (this.client("stats").cmd_get as number) >= 0) return;
    }
    throw new Error("memcached did not start");
  }

  async stopServer(): Promise<void> {
    const p = this.server;
    this.server = undefined;
    if (p?.pid === undefined || p.exitCode !== null || p.signalCode !== null) return;
    const exited = new Promise((r) => p.once("exit", r));
    p.kill("SIGKILL");
    await Promise.race([exited, new Promise((r) => setTimeout(r, 2000))]);
  }

  /** memcached's CPU time so far (user + system), seconds. */
  serverCpu(): number {
    const pid = this.server?.pid;
    if (pid === undefined) return 0;
    const f = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return (Number(f[11]) + Number(f[12])) / 100; // utime, stime in USER_HZ (100)
  }

  /** Runs the client in the client namespace: its JSON line. */
  client(mode: string, ...args: (string | number)[]): Record<string, unknown> {
    const out = sh(
      "ip",
      [
        "netns",
        "exec",
        this.lab.nsB,
        process.execPath,
        join(this.lab.dir, "mc.mjs"),
        this.lab.addrA,
        mode,
        ...args.map(String),
      ],
      true,
    );
    try {
      return JSON.parse(out.trim().split("\n").pop() ?? "{}") as Record<string, unknown>;
    } catch {
      return {};
    }
  }

  /** XDP in generic mode by default: on veth, native XDP frames built from the sender's skb have
   *  too little tailroom for bpf_xdp_adjust_tail to grow a GET into its reply (most hits then pass
   *  to the server: counted as `no_room`). NFC_MC_XDP_MODE=native|generic overrides. */
  async load(xdpMode = process.env.NFC_MC_XDP_MODE ?? "generic"): Promise<string[]> {
    const out: string[] = [];
    for (const f of [this.files.cache, this.files.learn]) {
      const mode = f === this.files.cache && xdpMode ? ["--xdp-mode", xdpMode] : [];
      const r = await cli("load", f, "--dev", this.lab.devA, "--netns", this.lab.nsA, ...mode);
      if (r.code !== 0) throw new Error(`nfc load ${f}: ${r.err}`);
      out.push(r.out);
    }
    return out;
  }

  async unload(): Promise<string[]> {
    const out: string[] = [];
    for (const nf of [this.cacheNf, this.learnNf]) out.push((await cli("unload", nf)).out);
    return out;
  }

  counters(): Promise<Record<string, number>> {
    return countersOf(this.cacheNf);
  }

  learnCounters(): Promise<Record<string, number>> {
    return countersOf(this.learnNf);
  }

  async close(): Promise<void> {
    await this.stopServer();
    this.lab.close();
    for (const m of SHARED) rmSync(`${PIN_ROOT}/shared/${m}`, { force: true });
    if (existsSync(`${PIN_ROOT}/shared`) && readdirSync(`${PIN_ROOT}/shared`).length === 0)
      rmdirSync(`${PIN_ROOT}/shared`);
  }
}
