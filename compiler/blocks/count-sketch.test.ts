// count_sketch and nitro on the kernel: the widest shapes (16 rows, shared and per_cpu, p = 1/2
// and p = 1) verify and agree with the interpreter byte for byte (cells and samplers) over seeded
// packets on XDP and TC; and the generated C uses the stdlib helpers with compile-time geometry.
import { describe, expect, test } from "vitest";
import { runDifferential } from "../difftest/engine.js";
import { generate } from "../pipeline.js";
import { checkSource } from "../../lang/index.js";
import { requireKernel } from "../kernel/testing.js";

const SRC = `nf cs_wide on xdp
config limit: u32 = 3
sketch a: count_sketch<flow5>(rows = 16, width = 65536, per_cpu)
sketch b: nitro<flow5>(rows = 16, width = 1024, one_in = 2)
sketch c: nitro<u32>(rows = 4, width = 8, one_in = 1, per_cpu)
sketch d: count_sketch<ip4>(rows = 2, width = 16384)
on packet {
  let ip = ipv4 else { pass }
  let f = flow5()
  a.add(f, 3)
  b.add(f)
  c.add(ip.ttl as u32, pkt_len())
  d.add(ip.src, 1)
  if a.estimate(f) > limit && b.estimate(f) > limit { drop }
  if c.estimate(ip.ttl as u32) > 500 { drop }
  if d.estimate(ip.src) > 4 { drop }
  pass
}
`;

describe("count_sketch / nitro lowering", () => {
  test("C: chunked cells, per-CPU sampler, stdlib geometry macros and constant B", () => {
    const checked = checkSource(SRC, "cs_wide.nf");
    expect(checked.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const g = generate(checked.program!);
    expect(g.c).toMatch(/nf_cs_add\(&a, 16, 0x10000, NF_CMS_CHUNK\(0x10000\), nf_hash(?:_\d+)?, 3, false\)/);
    expect(g.c).toMatch(
      /nf_nitro_add\(&b, &nf_b_samp, 16, 1024, NF_CMS_CHUNK\(1024\), nf_hash(?:_\d+)?, 1, 2, 0x100000000000000ULL, true\)/,
    );
    expect(g.c).toMatch(
      /nf_nitro_add\(&c, &nf_c_samp, 4, 8, NF_CMS_CHUNK\(8\), nf_hash(?:_\d+)?, [^,]+, 1, 0, false\)/,
    );
    const maps = Object.fromEntries(g.manifest!.maps.map((m) => [m.name, m]));
    expect(maps.a).toMatchObject({
      family: "store",
      map_type: "BPF_MAP_TYPE_PERCPU_ARRAY",
      max_entries: 128,
    });
    expect(maps.b_samp).toMatchObject({
      family: "store",
      map_type: "BPF_MAP_TYPE_PERCPU_ARRAY",
      max_entries: 1,
    });
    expect(maps.b).toMatchObject({ map_type: "BPF_MAP_TYPE_ARRAY", max_entries: 16 });
  });
});

describe.runIf(requireKernel())("count_sketch / nitro on the kernel", () => {
  for (const hook of ["xdp", "tc_ingress"] as const) {
    test(`16 rows verify; interpreter and kernel agree (${hook})`, async () => {
      const r = await runDifferential("cs_wide.nf", SRC, { packets: 1500, seed: 7, hook, stateEvery: 500 });
      expect(r.details.slice(0, 3)).toEqual([]);
      expect(r.differences).toBe(0);
      expect(r.verdicts.drop ?? 0).toBeGreaterThan(0);
      expect(r.verdicts.pass ?? 0).toBeGreaterThan(0);
      expect(r.stateChecks).toBeGreaterThanOrEqual(3);
    }, 120_000);
  }
});
