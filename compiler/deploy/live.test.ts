// Live tier (root): `nfc load/status/table/counters/unload` on veth pairs between network
// namespaces this suite creates (unique names, 198.18.0.0/15 addresses only, removed even on
// failure), with real UDP packets sent from the peer namespace (bounded count, 5 s timeout).
// Checks verdicts through counters and per-rule stats, table changes taking effect, coded errors,
// rollback of a failed load and that unload leaves no link, program, map or pin (kernel id lists).
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { run, type Io } from "../cli/main.js";
import { requireKernel } from "../kernel/testing.js";
import { DeployKernel, type KernelIds } from "./kernel.js";
import { PIN_ROOT } from "../manifest.js";

const tag = `${process.pid % 100000}`;
const NS_A = `nfcd${tag}a`; // the NF's side
const NS_B = `nfcd${tag}b`; // the sender's side
const DEV_A = `nfd${tag}a`;
const DEV_B = `nfd${tag}b`;
const ADDR_A = "198.18.91.1";
const ADDR_B = "198.18.91.2";
const NF = `fw${tag}`;
const TC_NF = `tcc${tag}`;
const TB_NF = `tb${tag}`;
const dir = mkdtempSync(join(tmpdir(), "nfc-deploy-"));
process.env.NFC_RUN_DIR = join(dir, "run");

function sh(cmd: string, args: string[], allowFail = false): string {
  const r = spawnSync(cmd, args, { encoding: "utf8", timeout: 10_000 });
  if (!allowFail && r.status !== 0)
    throw new Error(`${cmd} ${args.join(" ")}: ${r.stderr || r.error?.message}`);
  return r.stdout;
}

/** Removes an NF's pins and record whatever state a failed test left (unpinning detaches). */
function forget(nf: string): void {
  rmSync(`${PIN_ROOT}/${nf}`, { recursive: true, force: true });
  rmSync(join(dir, "run", nf), { recursive: true, force: true });
}

function cleanup(): void {
  for (const nf of [NF, TC_NF, TB_NF, `other${tag}`]) forget(nf);
  sh("ip", ["netns", "del", NS_A], true);
  sh("ip", ["netns", "del", NS_B], true);
}

/** Sends `n` UDP datagrams from NS_B to ADDR_A (bounded: count and a 5 s timeout). */
function send(n: number): void {
  const out = sh("ip", [
    "netns",
    "exec",
    NS_B,
    process.execPath,
    join(dir, "send.mjs"),
    ADDR_A,
    "9",
    String(n),
  ]);
  expect(out.trim()).toBe(`sent ${n}`);
}

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const o = { out: "", err: "" };
  const io: Io = { out: (s) => void (o.out += s), err: (s) => void (o.err += s), readStdin: () => "" };
  const code = await run(argv, io);
  return { code, ...o };
}

async function ids(): Promise<KernelIds> {
  const k = await DeployKernel.start();
  try {
    return await k.ids();
  } finally {
    await k.close();
  }
}

async function counters(nf: string): Promise<Record<string, number>> {
  const r = await cli("counters", nf, "--json");
  expect(r.err).toBe("");
  return JSON.parse(r.out) as Record<string, number>;
}

describe.runIf(requireKernel())("nfc load / table / counters / unload on veth (live)", () => {
  beforeAll(() => {
    cleanup();
    writeFileSync(
      join(dir, "send.mjs"),
      `import dgram from "node:dgram";
const [dst, port, n] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4])];
setTimeout(() => process.exit(3), 5000).unref();
const s = dgram.createSocket("udp4");
let sent = 0;
for (let i = 0; i < n; i++) await new Promise((r) => s.send(Buffer.from("nfc"), port, dst, () => { sent++; r(); }));
s.close();
console.log("sent " + sent);
`,
    );
    writeFileSync(
      join(dir, "fw.nf"),
      readFileSync("examples/firewall.nf", "utf8").replace("nf firewall on xdp", `nf ${NF} on xdp`),
    );
    writeFileSync(
      join(dir, "tc.nf"),
      `nf ${TC_NF} on tc ingress\ncounter udp_seen\non packet {\n  let u = udp else { pass }\n  if u.dport == 9 { udp_seen += 1 }\n  pass\n}\n`,
    );
    writeFileSync(
      join(dir, "tb.nf"),
      `nf ${TB_NF} on xdp
config limit: u32 = 5
table small: hash<ip4, u32>(capacity = 2)
sketch cm: count_min<ip4>(rows = 2, width = 64)
counter seen
on packet {
  let ip = ipv4 else { pass }
  cm.add(ip.src, 1)
  if small.contains(ip.src) { seen += 1 }
  pass
}
`,
    );
    sh("ip", ["netns", "add", NS_A]);
    sh("ip", ["netns", "add", NS_B]);
    sh("ip", ["link", "add", DEV_A, "netns", NS_A, "type", "veth", "peer", "name", DEV_B, "netns", NS_B]);
    // No IPv6 (router solicitations, MLD) and no ARP (static neighbours below): every frame the
    // NF sees is one this suite sent, so counters are exact.
    for (const ns of [NS_A, NS_B])
      sh("ip", [
        "netns",
        "exec",
        ns,
        "sysctl",
        "-qw",
        "net.ipv6.conf.all.disable_ipv6=1",
        "net.ipv6.conf.default.disable_ipv6=1",
      ]);
    sh("ip", ["-n", NS_A, "addr", "add", `${ADDR_A}/30`, "dev", DEV_A]);
    sh("ip", ["-n", NS_B, "addr", "add", `${ADDR_B}/30`, "dev", DEV_B]);
    sh("ip", ["-n", NS_A, "link", "set", DEV_A, "up"]);
    sh("ip", ["-n", NS_B, "link", "set", DEV_B, "up"]);
    sh("ip", ["-n", NS_A, "link", "set", "lo", "up"]);
    const mac = (ns: string, dev: string): string =>
      (JSON.parse(sh("ip", ["-n", ns, "-j", "link", "show", dev])) as Array<{ address: string }>)[0]!.address;
    sh("ip", ["-n", NS_B, "neigh", "replace", ADDR_A, "lladdr", mac(NS_A, DEV_A), "dev", DEV_B]);
    sh("ip", ["-n", NS_A, "neigh", "replace", ADDR_B, "lladdr", mac(NS_B, DEV_B), "dev", DEV_A]);
  });
  afterAll(() => {
    cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  test(
    "load, traffic, table add/del taking effect, status, unload leaves nothing",
    { timeout: 180_000 },
    async () => {
      try {
        await loadTrafficUnload();
      } finally {
        forget(NF);
      }
    },
  );

  async function loadTrafficUnload(): Promise<void> {
    const before = await ids();
    const load = await cli("load", join(dir, "fw.nf"), "--dev", DEV_A, "--netns", NS_A);
    expect(load.err).toBe("");
    expect(load.code).toBe(0);
    expect(load.out).toMatch(/object fw\d+\.bpf\.o \(pure BPF\): no kmod object built/);
    expect(load.out).toMatch(new RegExp(`attached to ${DEV_A} \\(netns ${NS_A}\\): xdp link id \\d+`));
    const up = await ids();
    const mine = {
      progs: up.progs.filter((i) => !before.progs.includes(i)),
      maps: up.maps.filter((i) => !before.maps.includes(i)),
      links: up.links.filter((i) => !before.links.includes(i)),
    };
    expect(mine.links.length).toBe(1);
    for (const m of ["deny4", "deny6", "rule_hits", "counters", "prog", `link_${NS_A}_${DEV_A}`])
      expect(existsSync(`${PIN_ROOT}/${NF}/${m}`)).toBe(true);

    send(20);
    expect(await counters(NF)).toEqual({ allowed: 20, denied: 0, not_ip: 0 });

    // A deny rule for the sender's prefix takes effect at once: the next packets are dropped.
    expect((await cli("table", NF, "deny4", "add", "198.18.91.0/30", "7")).out).toBe(
      `deny4: 198.18.91.0/30 = 7\n`,
    );
    send(10);
    expect(await counters(NF)).toEqual({ allowed: 20, denied: 10, not_ip: 0 });
    const hits = await cli("table", NF, "rule_hits", "get", "7", "--json");
    expect(JSON.parse(hits.out)).toEqual([{ key: 7, value: { packets: 10, bytes: 10 * (14 + 20 + 8 + 3) } }]);
    expect((await cli("table", NF, "deny4", "list")).out).toBe("198.18.91.0/30 7\n1 entries\n");

    const st = await cli("status", NF, "--json");
    const s = (
      JSON.parse(st.out) as Array<{
        program: { id: number };
        attachments: Array<{ attached: boolean }>;
        maps: Array<{ name: string; entries: number }>;
      }>
    )[0]!;
    expect(mine.progs).toContain(s.program.id);
    expect(s.attachments[0]!.attached).toBe(true);
    expect(s.maps.find((m) => m.name === "deny4")!.entries).toBe(1);

    // Deleting the rule lets traffic through again.
    expect((await cli("table", NF, "deny4", "del", "198.18.91.0/30")).code).toBe(0);
    send(5);
    expect(await counters(NF)).toEqual({ allowed: 25, denied: 10, not_ip: 0 });

    const un = await cli("unload", NF);
    expect(un.code).toBe(0);
    expect(un.out).toContain(`${NF} unloaded`);
    const after = await ids();
    for (const id of mine.links) expect(after.links).not.toContain(id);
    for (const id of mine.progs) expect(after.progs).not.toContain(id);
    for (const id of mine.maps) expect(after.maps).not.toContain(id);
    expect(existsSync(`${PIN_ROOT}/${NF}`)).toBe(false);
    const xdp = JSON.parse(sh("ip", ["-n", NS_A, "-j", "link", "show", DEV_A])) as Array<{ xdp?: unknown }>;
    expect(xdp[0]!.xdp).toBeUndefined();
    expect((await cli("counters", NF)).err).toContain("error[NF6001]");
  }

  test(
    "a failed attach rolls back every pin and link (lo has no native XDP)",
    { timeout: 120_000 },
    async () => {
      try {
        await failedAttach();
      } finally {
        forget(NF);
      }
    },
  );

  async function failedAttach(): Promise<void> {
    const before = await ids();
    const r = await cli(
      "load",
      join(dir, "fw.nf"),
      "--dev",
      DEV_A,
      "--dev",
      "lo",
      "--netns",
      NS_A,
      "--xdp-mode",
      "native",
    );
    expect(r.code).toBe(4);
    expect(r.err).toContain("error[NF6008]: cannot attach to `lo`");
    expect(existsSync(`${PIN_ROOT}/${NF}`)).toBe(false);
    const after = await ids();
    expect(after.links.filter((i) => !before.links.includes(i))).toEqual([]);
    const xdp = JSON.parse(sh("ip", ["-n", NS_A, "-j", "link", "show", DEV_A])) as Array<{ xdp?: unknown }>;
    expect(xdp[0]!.xdp).toBeUndefined();
    expect((await cli("status")).out).toBe("no NF loaded\n");
  }

  test(
    "coded refusals: missing namespace, missing interface, XDP already there, stale pins",
    { timeout: 180_000 },
    async () => {
      try {
        await refusals();
      } finally {
        forget(NF);
        forget(`other${tag}`);
      }
    },
  );

  async function refusals(): Promise<void> {
    const noNs = await cli("load", join(dir, "fw.nf"), "--dev", DEV_A, "--netns", `${NS_A}x`);
    expect(noNs.err).toContain(`error[NF6003]: no network namespace \`${NS_A}x\``);
    const noDev = await cli("load", join(dir, "fw.nf"), "--dev", "nope0", "--netns", NS_A);
    expect(noDev.err).toContain(`error[NF6002]: no interface \`nope0\` in network namespace \`${NS_A}\``);
    expect(noDev.code).toBe(4);

    expect((await cli("load", join(dir, "fw.nf"), "--dev", DEV_A, "--netns", NS_A)).code).toBe(0);
    // A second NF on the same interface is refused, and leaves nothing of its own.
    const tiny = join(dir, "other.nf");
    writeFileSync(tiny, `nf other${tag} on xdp\non packet { pass }\n`);
    const busy = await cli("load", tiny, "--dev", DEV_A, "--netns", NS_A);
    expect(busy.err).toMatch(new RegExp(`error\\[NF6005\\]: \`${DEV_A}\` already runs XDP program id \\d+`));
    expect(existsSync(`${PIN_ROOT}/other${tag}`)).toBe(false);
    expect((await cli("load", join(dir, "fw.nf"), "--dev", DEV_A, "--netns", NS_A)).err).toContain(
      "error[NF6014]",
    );

    // --keep-maps leaves the maps pinned; a plain load then refuses to adopt them.
    const keep = await cli("unload", NF, "--keep-maps");
    expect(keep.out).toContain("kept 4 maps pinned");
    expect(existsSync(`${PIN_ROOT}/${NF}/deny4`)).toBe(true);
    expect(existsSync(`${PIN_ROOT}/${NF}/prog`)).toBe(false);
    const stale = await cli("load", join(dir, "fw.nf"), "--dev", DEV_A, "--netns", NS_A);
    expect(stale.err).toContain(`error[NF6006]: map \`deny4\`: \`${PIN_ROOT}/${NF}/deny4\` already exists`);
  }

  test("a TC ingress NF attaches with tcx and counts the packets", { timeout: 120_000 }, async () => {
    try {
      await tcIngress();
    } finally {
      forget(TC_NF);
    }
  });

  async function tcIngress(): Promise<void> {
    const load = await cli("load", join(dir, "tc.nf"), "--dev", DEV_A, "--netns", NS_A);
    expect(load.err).toBe("");
    expect(load.out).toMatch(/tcx-ingress link id \d+/);
    send(12);
    expect(await counters(TC_NF)).toEqual({ udp_seen: 12 });
    expect((await cli("unload", TC_NF)).code).toBe(0);
    expect(existsSync(`${PIN_ROOT}/${TC_NF}`)).toBe(false);
  }

  test(
    "table and config refusals: full, absent, unknown, not a table, bad --set; kmod and input refusals",
    { timeout: 180_000 },
    async () => {
      try {
        expect(
          (await cli("load", join(dir, "tb.nf"), "--dev", DEV_A, "--netns", NS_A, "--set", "limit=nope")).err,
        ).toContain("error[NF6010]: bad config `limit` `nope`");
        expect(
          (await cli("load", join(dir, "tb.nf"), "--dev", DEV_A, "--netns", NS_A, "--set", "limt=3")).err,
        ).toContain("error[NF6018]: `--set limt`: `" + TB_NF + "` has no config `limt`");
        const load = await cli(
          "load",
          join(dir, "tb.nf"),
          "--dev",
          DEV_A,
          "--netns",
          NS_A,
          "--set",
          "limit=7",
        );
        expect(load.code).toBe(0);
        expect((await cli("status", TB_NF)).out).toContain("configs: limit=7");
        expect((await cli("table", TB_NF, "small", "add", "198.18.0.1", "1")).code).toBe(0);
        expect((await cli("table", TB_NF, "small", "add", "198.18.0.2", "2")).code).toBe(0);
        const full = await cli("table", TB_NF, "small", "add", "198.18.0.3", "3");
        expect(full.err).toContain("error[NF6012]: table `small` is full (capacity 2)");
        expect(full.code).toBe(4);
        expect((await cli("table", TB_NF, "small", "get", "198.18.0.9")).err).toContain(
          "error[NF6013]: table `small` has no entry for `198.18.0.9`",
        );
        expect((await cli("table", TB_NF, "cm", "list")).err).toContain(
          "error[NF6019]: `cm` is a sketch (count_min)",
        );
        expect((await cli("table", TB_NF, "smal", "list")).err).toContain(
          "error[NF6009]: `" + TB_NF + "` has no table named `smal`",
        );
        expect((await cli("table", TB_NF, "small", "clear")).out).toBe("small: cleared 2 entries\n");
        expect((await cli("unload", TB_NF)).code).toBe(0);
        expect((await cli("load", join(dir, "missing.nf"), "--dev", DEV_A)).err).toContain(
          "error[NF6017]: cannot load",
        );
        const kmod = await cli(
          "load",
          "examples/heavy_hitter.nf",
          "--dev",
          DEV_A,
          "--netns",
          NS_A,
          "--runtime",
          "kmod",
        );
        expect(kmod.err).toContain(
          "error[NF6007]: `--runtime kmod`: cannot load heavy_hitter.kmod.bpf.o: module nfc_runtime not loaded",
        );
        expect(existsSync(`${PIN_ROOT}/heavy_hitter`)).toBe(false);
      } finally {
        forget(TB_NF);
      }
    },
  );

  test("not root: NF6004 (the CLI run as nobody)", () => {
    const r = spawnSync(process.execPath, ["dist/compiler/cli/main.js", "status"], {
      encoding: "utf8",
      uid: 65534,
      gid: 65534,
      timeout: 30_000,
    });
    expect(r.stderr).toContain("error[NF6004]: `nfc status` needs root");
    expect(r.status).toBe(4);
  });
});
