// The generator covers events (gen/events.ts): over 300 seeds some programs declare events and
// emit them (sampled too), every one is accepted by the checker, and the events' own random
// stream leaves the rest of each program as it was without them.
import { describe, expect, test } from "vitest";
import { checkSource } from "../../lang/index.js";
import { generateProgram } from "./gen/index.js";

describe("fuzz generator: events", () => {
  test("300 seeds: events declared and emitted (some `every`), all accepted", () => {
    let programs = 0;
    let emits = 0;
    let sampled = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const { source } = generateProgram(seed);
      const r = checkSource(source, `gen${seed}.nf`);
      expect(
        r.diagnostics.filter((d) => d.severity === "error"),
        `seed ${seed}\n${source}`,
      ).toEqual([]);
      if (/^event /m.test(source)) programs++;
      emits += (source.match(/^\s*emit /gm) ?? []).length;
      sampled += (source.match(/\} every \d+$/gm) ?? []).length;
    }
    expect(programs).toBeGreaterThan(100);
    expect(emits).toBeGreaterThan(200);
    expect(sampled).toBeGreaterThan(30);
  }, 120_000);

  test("without events the program is the same minus its event lines", () => {
    for (const seed of [3, 17, 42]) {
      const all = generateProgram(seed).source.split("\n");
      const none = generateProgram(seed, new Set(["events"])).source.split("\n");
      expect(all.filter((l) => !/^(event |\s*emit )/.test(l))).toEqual(none);
    }
  });
});
