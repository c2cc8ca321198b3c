// `npm run bench -- memcached [--gets N] [--keys K]`: examples/memcached_cache.nf +
// memcached_learn.nf in front of Debian's memcached (compiler/deploy/mc-lab.ts: namespaces,
// 198.18.98.0/30, everything removed afterwards). K keys (default 10,000) stored over TCP, then N
// (default 20,000) UDP GETs with Zipf(0.99) keys, one outstanding at a time, the same seed twice:
// without the NFs, then with them (the cache starts empty: its misses warm it). Prints GET/s,
// memcached's CPU time (user + system from /proc) and the NF's hit ratio.
import { McLab } from "../compiler/deploy/mc-lab.js";

export interface McBench {
  keys: number;
  gets: number;
  without: { perSec: number; serverCpu: number; lost: number };
  with: { perSec: number; serverCpu: number; lost: number; hits: number; misses: number; hitRatio: number };
}

export async function runMemcachedBench(gets: number, keys: number): Promise<McBench> {
  const lab = new McLab();
  try {
    lab.up();
    await lab.startServer();
    const stored = lab.client("tcpset", "k", keys).stored as number;
    if (stored !== keys) throw new Error(`stored ${stored} of ${keys} keys`);
    const run = (): { perSec: number; serverCpu: number; lost: number } => {
      const cpu0 = lab.serverCpu();
      const r = lab.client("zipf", "k", keys, gets, 1);
      return {
        perSec: Math.round((r.ok as number) / (r.seconds as number)),
        serverCpu: lab.serverCpu() - cpu0,
        lost: r.lost as number,
      };
    };
    const without = run();
    await lab.load();
    const w = run();
    const c = await lab.counters();
    await lab.unload();
    return {
      keys,
      gets,
      without,
      with: { ...w, hits: c.hits ?? 0, misses: c.misses ?? 0, hitRatio: (c.hits ?? 0) / gets },
    };
  } finally {
    await lab.close();
  }
}

export function formatMcBench(b: McBench): string {
  const row = (name: string, r: { perSec: number; serverCpu: number; lost: number }): string =>
    `  ${name.padEnd(12)} ${String(r.perSec).padStart(7)} GET/s   memcached CPU ${r.serverCpu.toFixed(2)} s   lost ${r.lost}`;
  return [
    `memcached: ${b.gets} UDP GETs, Zipf(0.99) over ${b.keys} keys, one outstanding (same seed twice)`,
    row("without NF", b.without),
    row("with NF", b.with),
    `  hit ratio ${(100 * b.with.hitRatio).toFixed(1)}% (hits ${b.with.hits}, misses ${b.with.misses}; the cache starts empty)`,
  ].join("\n");
}
