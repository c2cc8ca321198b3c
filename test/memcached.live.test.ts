// Live tier (root): examples/memcached_cache.nf + memcached_learn.nf in front of a real memcached
// (compiler/deploy/mc-lab.ts: Debian's memcached -U 11211 on 198.18.98.1 in its own namespace, the
// NFs loaded with `nfc load` on its veth, our client in the peer namespace; everything removed at
// the end). Checks: replies equal memcached's own; after the first GET of a key the server sees no
// more GETs for it (`stats` cmd_get) and the NF counts hits; SET then GET never returns a stale
// value; a restarted, empty memcached is never contradicted once a write went through.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { requireKernel } from "../compiler/kernel/testing.js";
import { cli } from "../compiler/deploy/netlab.js";
import { McLab } from "../compiler/deploy/mc-lab.js";
import { PIN_ROOT } from "../compiler/manifest.js";

const haveMemcached = spawnSync("which", ["memcached"]).status === 0;
const lab = new McLab();
const KEYS = Array.from({ length: 20 }, (_, i) => `key:${i}`);

describe.runIf(requireKernel() && haveMemcached)("memcached cache in XDP + TC egress (live)", () => {
  beforeAll(async () => {
    lab.up();
    await lab.startServer();
  }, 60_000);
  afterAll(async () => {
    await lab.unload().catch(() => undefined);
    await lab.close();
  }, 60_000);

  test("replies, hits, coherence, restart", { timeout: 300_000 }, async () => {
    // keys over TCP, then the replies memcached itself sends (no NF)
    expect(lab.client("tcpset", "key:", KEYS.length).stored).toBe(KEYS.length);
    const plain = lab.client("gets", 100, ...KEYS).replies as string[];
    expect(plain.every((r) => r !== null && r.length > 16)).toBe(true);

    const loaded = (await lab.load()).join("\n");
    expect(loaded).toContain("shares 3 maps with loaded NFs");
    // 1st round: misses (learned at egress); 2nd and 3rd: hits. Same request ids: same bytes.
    const before = lab.client("stats").cmd_get as number;
    const runs = [0, 1, 2].map(() => lab.client("gets", 100, ...KEYS));
    const rounds = runs.map((r) => r.replies as string[]);
    const retries = runs.map((r) => r.retries as number);
    const after = lab.client("stats").cmd_get as number;
    for (const r of rounds) expect(r).toEqual(plain);
    const c = await lab.counters();
    console.log(`rounds: retries ${retries.join(", ")}; counters ${JSON.stringify(c)}`);
    expect(c.hits).toBeGreaterThanOrEqual(2 * KEYS.length);
    expect(after - before).toBe(KEYS.length); // only the first round reached memcached
    expect((await lab.learnCounters()).learned).toBe(KEYS.length);

    // SET then GET (twice: a miss that learns, then a hit), bounded rounds: no stale read
    const co = lab.client("coherence", "key:co", 300);
    expect(co).toMatchObject({ rounds: 300, stale: 0, lost: 0 });

    // a restarted, empty memcached: the learned value stays until a write goes through (the
    // documented window); after one, the server's truth is served
    await lab.startServer();
    const stale = lab.client("gets", 500, "key:1").replies as string[];
    expect(stale[0]).toBe(plain[1]!.replace(/^..../, "01f4")); // still the cached reply
    const w = lab.client("coherence", "key:1", 3);
    expect(w).toMatchObject({ rounds: 3, stale: 0 });
    const flushed = lab.client("gets", 600, "key:2").replies as string[];
    expect(flushed[0]).not.toBeNull();
    console.log(
      `memcached live: ${KEYS.length} keys x 3 rounds: misses ${c.misses}, hits ${c.hits}, cmd_get +${after - before}; coherence ${co.rounds} rounds, stale ${co.stale}`,
    );
  });

  test("a shared table declared differently is refused (NF6070)", { timeout: 120_000 }, async () => {
    const f = lab.lab.nf(
      `mcbad${process.pid % 100000}`,
      `nf mcbad${process.pid % 100000} on xdp\ntable cache: lru<u32, u64>(capacity = 4096, shared)\non packet { pass }\n`,
    );
    const r = await cli("load", f, "--dev", lab.lab.devA, "--netns", lab.lab.nsA);
    expect(r.code).toBe(4);
    expect(r.err).toContain("NF6070");
    // unload: the first NF leaves the shared maps to the second, which removes them
    const un = (await lab.unload()).join("\n");
    expect(un).toContain("kept 3 shared maps other loaded NFs use");
    expect(un).toContain("removed 5 maps"); // the learner: its 2 own maps and the 3 shared ones
    expect(existsSync(`${PIN_ROOT}/shared`)).toBe(false);
  });
});
