// The kmod ordered lowering (compiler/blocks/kmod/ordered.ts): backend choice (auto keeps pure,
// a node too large for nfc_rt_mem_new is unfit, --runtime kmod forces it), the kmod C (one
// stdlib call per op on an opaque holder map) and that both the shared and the per-CPU objects
// compile. Guest verification and the interpreter digest: test/vm/examples.test.ts (kv_store.nf,
// ordered_keys.nf).
import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { checkSource } from "../../../lang/index.js";
import { compile } from "../../api.js";
import { chooseBackends } from "../../backend/choice.js";

const prog = (decl: string) => `nf t on xdp
${decl}
on packet {
  let ip = ipv4 else { pass }
  if let v = s.get(ip.src) { if v > 10 { drop } }
  if !s.insert(ip.src, 1) { drop }
  if s.contains(ip.dst) { s.remove(ip.dst) }
  if let k = s.first_ge(ip.dst) { if let n = s.next(k) { if n == ip.src { drop } } }
  pass
}
`;
const SHARED = prog("table s: ordered<ip4, u64>(capacity = 16)");
const PER_CPU = prog("table s: ordered<ip4, u64>(capacity = 9, per_cpu)");
const LARGE = prog("table s: ordered<ip4, u64>(capacity = 17)");
const BIG = `nf t on xdp
table s: ordered<ip4, bytes[1000]>(capacity = 16)
on packet {
  let ip = ipv4 else { pass }
  if s.contains(ip.src) { drop }
  pass
}
`;

const checked = (src: string) => {
  const r = checkSource(src, "t.nf");
  expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return r.program!;
};

describe("ordered backend choice", () => {
  test("auto keeps ordered pure with the measured reason; --runtime kmod forces it", () => {
    const auto = chooseBackends(checked(SHARED), "auto");
    expect(auto.ops.map((o) => o.backend)).toEqual(Array(6).fill("bpf"));
    expect(auto.ops[0]!.reason).toMatch(
      /^capacity 16: each search move costs ~5 kfunc calls .* 241 vs 2220 at 15 keys/,
    );
    expect(auto.kmodStates.size).toBe(0);
    const forced = chooseBackends(checked(SHARED), "kmod");
    expect(forced.ops.map((o) => o.backend)).toEqual(Array(6).fill("kmod"));
    expect([...forced.kmodStates]).toEqual(["s"]);
  });
  test("more than 4 levels (capacity > 16) is unfit even when forced: the verifier's budget", () => {
    const ops = chooseBackends(checked(LARGE), "kmod").ops;
    expect(ops.every((o) => o.backend === "bpf")).toBe(true);
    expect(ops[0]!.reason).toBe(
      "capacity 17 (5 levels): the kmod skip-list walk verifies within the 1M-instruction limit only up to 4 levels (capacity 16)",
    );
  });
  test("a node beyond nfc_rt_mem_new's 1024 bytes is unfit even when forced", () => {
    const ops = chooseBackends(checked(BIG), "kmod").ops;
    expect(ops.every((o) => o.backend === "bpf")).toBe(true);
    expect(ops[0]!.reason).toBe(
      "a node of 1068 bytes (key + value + 4 edges) exceeds nfc_rt_mem_new's 1024-byte node",
    );
  });
});

describe("ordered kmod C", () => {
  for (const [name, src, pc] of [
    ["shared", SHARED, false],
    ["per-CPU", PER_CPU, true],
  ] as const) {
    test(`${name}: stdlib calls on an opaque holder map; the object compiles`, async () => {
      const r = await compile({ file: "t.nf", source: src }, { runtime: "kmod" });
      expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
      const o = r.objects!.kmod!;
      expect(o.manifest.runtime).toBe("kmod");
      expect(o.c).toContain('#include "nfc_runtime.h"');
      expect(o.c).toMatch(/__type\(value, struct nf_ordk_holder\)/);
      expect(o.c.match(/nf_ordk_get\(&s, NF_ORD_GEO\(/g)).toHaveLength(4);
      expect(o.c).toMatch(/nf_ordk_put_kv\(&s, NF_ORD_GEO\(/);
      expect(o.c).toMatch(/nf_ordk_del\(&s, NF_ORD_GEO\(/);
      expect(o.c).not.toContain("bpf_spin_lock");
      const m = o.manifest.maps.find((x) => x.name === "s")!;
      expect(m.family).toBe("opaque");
      expect(m.params).toMatchObject({
        structure: "s",
        per_cpu: pc,
        data_size: 16,
        layout: "kmod_mem_skiplist",
      });
      expect(o.object!.length).toBeGreaterThan(1000);
    });
  }
  test("the stdlib's kmod helpers compile only with the runtime header on the include path", () => {
    const h = readFileSync(new URL("../../../stdlib/include/nf/ordered_kmod.h", import.meta.url), "utf8");
    expect(h).toContain('__has_include("nfc_runtime.h")');
  });
});
