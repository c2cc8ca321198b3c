// What an `lru` table guarantees (docs/LANGUAGE.md): at most `capacity` entries, and a present key
// holds the value the program last wrote; which keys the kernel evicts, and when (before the table
// is full, in batches), is the kernel's choice. Small lru tables filled by thousands of sources:
// with the differential adopting the kernel's evictions (compiler/difftest/lru-sync.ts) both sides
// agree on every verdict and the full state; without it they disagree (the class this catches).
import { describe, expect, test } from "vitest";
import { runDifferential } from "../compiler/difftest/engine.js";
import { requireKernel } from "../compiler/kernel/testing.js";

const SOURCE = `nf lru_fill on xdp
table seen: lru<ip4, u64>(capacity = 16)
table flows: lru<flow5, u32>(capacity = 40, per_cpu)
counter fresh, known
on packet {
  let ip = ipv4 else { pass }
  seen.add(ip.src, 1)
  let f = flow5()
  if let v = flows.get(f) { v += 1; known += 1; if v > 3 { drop } } else { flows.insert(f, 1); fresh += 1 }
  if let s = seen.get(ip.dst) { if s > 2 { tx } }
  if seen.contains(ip.src) { pass }
  drop
}
`;

describe.runIf(requireKernel())("lru tables that fill", () => {
  test("interpreter and kernel agree once the kernel's evictions are adopted", async () => {
    const r = await runDifferential("lru_fill.nf", SOURCE, { packets: 1500, stateEvery: 500, seed: 7 });
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(r.details.map((d) => d.detail)).toEqual([]);
    expect(r.differences).toBe(0);
    expect(r.lruSyncs).toBeGreaterThan(100);
  }, 240_000);

  test("without adopting them, the kernel's early batch eviction shows as differences", async () => {
    const r = await runDifferential("lru_fill.nf", SOURCE, {
      packets: 1500,
      stateEvery: 500,
      seed: 7,
      lruSync: false,
    });
    expect(r.differences).toBeGreaterThan(0);
    expect(r.details.some((d) => /\bseen\[|\bflows\[/.test(d.detail))).toBe(true);
  }, 240_000);
});
