// The kmod topk lowering (compiler/blocks/kmod/topk.ts): backend choice (auto keeps pure BPF,
// a shared board is unfit, a per-CPU board can be forced), the kmod C (a bounded search loop with
// one nfc_rt_memcmp per occupied slot, then the stdlib's kfunc-free update) on the pure layout.
// Guest verification and the interpreter digest: test/vm/examples.test.ts (topk_percpu.nf).
import { describe, expect, test } from "vitest";
import { checkSource } from "../../../lang/index.js";
import { compile } from "../../api.js";
import { chooseBackends } from "../../backend/choice.js";

const prog = (decl: string) => `nf t on xdp
${decl}
on packet {
  let ip = ipv4 else { pass }
  if s.add(ip.src, pkt_len()) > 1000 { drop }
  if s.count(ip.dst) > 10 { drop }
  pass
}
`;
const PER_CPU = prog("sketch s: topk<ip4>(k = 64, per_cpu)");
const SHARED = prog("sketch s: topk<ip4>(k = 64)");

const checked = (src: string) => {
  const r = checkSource(src, "t.nf");
  expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return r.program!;
};

describe("topk backend choice", () => {
  test("auto keeps a per-CPU topk pure, with the measured reason; --runtime kmod forces it", () => {
    const auto = chooseBackends(checked(PER_CPU), "auto");
    expect(auto.ops.map((o) => o.backend)).toEqual(["bpf", "bpf"]);
    expect(auto.ops[0]!.reason).toMatch(/^64 slots: a kfunc call per slot costs more/);
    expect(auto.kmodStates.size).toBe(0);
    const forced = chooseBackends(checked(PER_CPU), "kmod");
    expect(forced.ops.map((o) => o.backend)).toEqual(["kmod", "kmod"]);
    expect([...forced.kmodStates]).toEqual(["s"]);
  });
  test("a shared topk is unfit even when forced: no kfunc under its bpf_spin_lock", () => {
    const ops = chooseBackends(checked(SHARED), "kmod").ops;
    expect(ops.map((o) => o.backend)).toEqual(["bpf", "bpf"]);
    expect(ops[0]!.reason).toMatch(/shared topk `s`: .*bpf_spin_lock, under which no kfunc/);
  });
});

describe("topk kmod C", () => {
  test("per-CPU, forced: memcmp search loop, stdlib update, same store map; the object compiles", async () => {
    const r = await compile({ file: "t.nf", source: PER_CPU }, { runtime: "kmod" });
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const o = r.objects!.kmod!;
    expect(o.manifest.runtime).toBe("kmod");
    expect(o.c).toContain('#include "nfc_runtime.h"');
    expect(o.c.match(/for \(__u32 nf_i(?:_\d+)? = 0; nf_i(?:_\d+)? < 64; nf_i(?:_\d+)?\+\+\)/g)).toHaveLength(
      2,
    );
    expect(
      o.c.match(
        /nfc_rt_memcmp\(nf_topk_k_key\(nf_val(?:_\d+)?, 64, 4, nf_i(?:_\d+)?\), 4, &nf_key(?:_\d+)?, 4\) == 0/g,
      ),
    ).toHaveLength(2);
    expect(o.c).toMatch(
      /nf_topk_k_add\(nf_val(?:_\d+)?, 64, 4, &nf_key(?:_\d+)?, nf_n(?:_\d+)?, nf_slot(?:_\d+)?\)/,
    );
    expect(o.c).toMatch(/nf_topk_k_count\(nf_val(?:_\d+)?, 64, nf_slot(?:_\d+)?\)/);
    expect(o.c).not.toContain("bpf_spin_lock");
    const m = o.manifest.maps.find((x) => x.name === "s")!;
    expect(m.family).toBe("store");
    expect(m.params).toMatchObject({ structure: "s", k: 64, key_size: 4, per_cpu: true });
    expect(o.object!.length).toBeGreaterThan(1000);
  });
  test("the shared example keeps its pure object only: no kmod object is produced", async () => {
    const r = await compile({ file: "t.nf", source: SHARED }, { runtime: "kmod", emitObject: false });
    expect(r.objects?.kmod?.manifest.runtime).not.toBe("kmod");
  });
});
