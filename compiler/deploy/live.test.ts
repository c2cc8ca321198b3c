// Live tier (root): `nfc load/status/table/counters/unload` on a veth pair between network
// namespaces this suite creates (netlab.ts: unique names, 198.18.91.0/30 only, removed even on
// failure), with real UDP packets sent from the peer namespace (bounded count and time).
// Checks verdicts through counters and per-rule stats, table changes taking effect, coded errors,
// rollback of a failed load and that unload leaves no link, program, map or pin (kernel id lists).
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { requireKernel } from "../kernel/testing.js";
import { PIN_ROOT } from "../manifest.js";
import { NetLab, cli, countersOf as counters, kernelIds as ids, leftBehind, sh } from "./netlab.js";

const lab = new NetLab("l", 91);
const tag = `${process.pid % 100000}`;
const NF = `fw${tag}`;
const TC_NF = `tcc${tag}`;
const TB_NF = `tb${tag}`;
const OTHER = `other${tag}`;
const files = {
  fw: lab.nf(
    NF,
    readFileSync("examples/firewall.nf", "utf8").replace("nf firewall on xdp", `nf ${NF} on xdp`),
  ),
  tc: lab.nf(
    TC_NF,
    `nf ${TC_NF} on tc ingress\ncounter udp_seen\non packet {\n  let u = udp else { pass }\n  if u.dport == 9 { udp_seen += 1 }\n  pass\n}\n`,
  ),
  tb: lab.nf(
    TB_NF,
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
  ),
  other: lab.nf(OTHER, `nf ${OTHER} on xdp\non packet { pass }\n`),
};
const NS_A = lab.nsA;
const DEV_A = lab.devA;
const send = (n: number): void => expect(lab.send(n)).toBe(n);
const forget = (nf: string): void => lab.forget(nf);

describe.runIf(requireKernel())("nfc load / table / counters / unload on veth (live)", () => {
  beforeAll(() => lab.up());
  afterAll(() => lab.close());

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
    const load = await cli("load", files.fw, "--dev", DEV_A, "--netns", NS_A);
    expect(load.err).toBe("");
    expect(load.code).toBe(0);
    expect(load.out).toMatch(/object fw\d+\.bpf\.o \(pure BPF\): no kmod object built/);
    expect(load.out).toMatch(new RegExp(`attached to ${DEV_A} \\(netns ${NS_A}\\): xdp link id \\d+`));
    // This NF's kernel objects, by id (status), all present in the kernel's lists.
    type S = {
      program: { id: number };
      attachments: Array<{ link_id: number }>;
      maps: Array<{ id: number }>;
    };
    const st0 = (JSON.parse((await cli("status", NF, "--json")).out) as S[])[0]!;
    const mine = {
      progs: [st0.program.id],
      maps: st0.maps.map((m) => m.id),
      links: st0.attachments.map((x) => x.link_id),
    };
    const up = await ids();
    for (const k of ["progs", "maps", "links"] as const)
      for (const id of mine[k]) expect(up[k]).toContain(id);
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
    expect(await leftBehind(mine)).toEqual([]);
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
    const r = await cli(
      "load",
      files.fw,
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
        forget(OTHER);
      }
    },
  );

  async function refusals(): Promise<void> {
    const noNs = await cli("load", files.fw, "--dev", DEV_A, "--netns", `${NS_A}x`);
    expect(noNs.err).toContain(`error[NF6003]: no network namespace \`${NS_A}x\``);
    const noDev = await cli("load", files.fw, "--dev", "nope0", "--netns", NS_A);
    expect(noDev.err).toContain(`error[NF6002]: no interface \`nope0\` in network namespace \`${NS_A}\``);
    expect(noDev.code).toBe(4);

    expect((await cli("load", files.fw, "--dev", DEV_A, "--netns", NS_A)).code).toBe(0);
    // A second NF on the same interface is refused, and leaves nothing of its own.
    const tiny = files.other;
    const busy = await cli("load", tiny, "--dev", DEV_A, "--netns", NS_A);
    expect(busy.err).toMatch(new RegExp(`error\\[NF6005\\]: \`${DEV_A}\` already runs XDP program id \\d+`));
    expect(existsSync(`${PIN_ROOT}/${OTHER}`)).toBe(false);
    // Loading it again on other interfaces is not an upgrade.
    expect((await cli("load", files.fw, "--dev", "lo", "--netns", NS_A)).err).toContain(
      `error[NF6014]: \`${NF}\` is already loaded (on ${DEV_A} (netns ${NS_A}))`,
    );

    // A pin removed behind nfc's back: the table command says which step failed (NF6015).
    sh("mv", [`${PIN_ROOT}/${NF}/deny6`, `${PIN_ROOT}/${NF}/deny6_moved`]);
    expect((await cli("table", NF, "deny6", "list")).err).toContain(
      `error[NF6015]: opening pinned map \`deny6\` failed: cannot open pinned '${PIN_ROOT}/${NF}/deny6': No such file or directory`,
    );
    sh("mv", [`${PIN_ROOT}/${NF}/deny6_moved`, `${PIN_ROOT}/${NF}/deny6`]);

    // --keep-maps leaves the maps pinned with their state; the next load adopts them.
    expect((await cli("table", NF, "deny4", "add", "198.18.91.0/30", "4")).code).toBe(0);
    send(3);
    const keep = await cli("unload", NF, "--keep-maps");
    expect(keep.out).toContain("kept 4 maps pinned");
    expect(existsSync(`${PIN_ROOT}/${NF}/deny4`)).toBe(true);
    expect(existsSync(`${PIN_ROOT}/${NF}/prog`)).toBe(false);
    send(2); // nothing attached: not counted
    const again = await cli("load", files.fw, "--dev", DEV_A, "--netns", NS_A);
    expect(again.err).toBe("");
    expect(again.out).toContain(
      "adopted 4 maps kept by `unload --keep-maps`, with their state (deny4, deny6, rule_hits, counters)",
    );
    send(3);
    expect(await counters(NF)).toEqual({ allowed: 0, denied: 6, not_ip: 0 });
    expect((await cli("table", NF, "rule_hits", "get", "4")).out).toBe(`4 packets=6,bytes=${6 * 45}\n`);

    // Pins with no record of their layout (the run directory lost) are not adopted.
    expect((await cli("unload", NF, "--keep-maps")).code).toBe(0);
    rmSync(join(lab.dir, "run", NF), { recursive: true, force: true });
    const stale = await cli("load", files.fw, "--dev", DEV_A, "--netns", NS_A);
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
    const load = await cli("load", files.tc, "--dev", DEV_A, "--netns", NS_A);
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
          (await cli("load", files.tb, "--dev", DEV_A, "--netns", NS_A, "--set", "limit=nope")).err,
        ).toContain("error[NF6010]: bad config `limit` `nope`");
        expect(
          (await cli("load", files.tb, "--dev", DEV_A, "--netns", NS_A, "--set", "limt=3")).err,
        ).toContain("error[NF6018]: `--set limt`: `" + TB_NF + "` has no config `limt`");
        const load = await cli("load", files.tb, "--dev", DEV_A, "--netns", NS_A, "--set", "limit=7");
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
        expect((await cli("load", "/nonexistent/missing.nf", "--dev", DEV_A)).err).toContain(
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
