// The generator's coverage table over the CI seed set (kinds × operations × types, and features),
// written to build/fuzz-coverage.md. Fails if a datapath operation of the registry is never
// generated (a new kind or operation must reach the generator through the registry).
import { mkdirSync, writeFileSync } from "node:fs";
import { expect, test } from "vitest";
import { BLOCKS } from "../../lang/blocks/index.js";
import { Coverage, generateProgram, renderCoverage, type Feature } from "./gen/index.js";
import { offFeatures } from "./known-open.js";

const N = Number(process.env.NFC_FUZZ_SEEDS ?? 400);

test(`coverage over ${N} seeds`, () => {
  const all = new Coverage();
  const off = offFeatures();
  for (let s = 1; s <= N; s++) all.merge(generateProgram(s, off).cov);
  mkdirSync("build", { recursive: true });
  writeFileSync("build/fuzz-coverage.md", renderCoverage(all, `Random program coverage, seeds 1..${N}`));
  const missing = BLOCKS.flatMap((b) =>
    Object.entries(b.ops)
      .filter(([, sig]) => sig.datapath)
      .map(([op]) => `${b.name}.${op}`)
      .filter((k) => !all.ops.has(k)),
  );
  expect(missing).toEqual([]);
  // features the generator must reach (those behind an open finding only when generated)
  const gated: Record<string, Feature> = {
    "name adversarial": "adversarial-names",
    "name derived": "adversarial-names",
    "name prefix15": "prefix15-names",
  };
  for (const f of [
    "hook xdp",
    "hook tc ingress",
    "hook tc egress",
    "verdict in loop",
    "break",
    "bind header user",
    "match u8",
    "for",
    "repeat",
    "set_tstamp",
    ...Object.keys(gated),
  ])
    if (!gated[f] || !off.has(gated[f]!)) expect(all.features.get(f) ?? 0, f).toBeGreaterThan(0);
});
