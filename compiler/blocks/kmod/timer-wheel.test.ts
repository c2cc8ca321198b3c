// The kmod timer_wheel lowering (compiler/blocks/kmod/timer-wheel.ts): backend choice, the kmod C
// (kptr holder beside struct nf_wheel_k, one list kfunc per operation: push / pop_first from the
// cursor's slot over the due count), the shapes nfc_rt_lists_new cannot take, and skb->tstamp in
// the differential (engine.ts tstampDiff; on the kernel, carousel's stamps compared per packet).
// Guest verification of the kmod object: test/vm/examples.test.ts (carousel, forced kmod build).
import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { checkSource } from "../../../lang/index.js";
import { compile } from "../../api.js";
import { chooseBackends } from "../../backend/choice.js";
import { runDifferential, tstampDiff } from "../../difftest/engine.js";
import { requireKernel } from "../../kernel/testing.js";

const WHEEL = (slots: number, cap: number, elem = "u32", extra = "") => `nf w on xdp
queue q: timer_wheel<${elem}>(slots = ${slots}, tick_ns = 1000, capacity = ${cap}${extra})
counter a
on packet {
  if let x = q.pop_due(now_ns()) { a += 1 }
  if !q.schedule(now_ns() + 5000, 7) { drop }
  if q.len() > 2 { a += 1 }
  pass
}
`;
const checked = (s: string) => {
  const r = checkSource(s, "t.nf");
  expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return r.program!;
};

describe("timer_wheel backend choice", () => {
  test("auto keeps the wheel pure, with the measured reason; --runtime kmod forces it", () => {
    const ops = chooseBackends(checked(WHEEL(512, 128)), "auto").ops;
    expect(ops.map((o) => [o.op, o.backend])).toEqual([
      ["pop_due", "bpf"],
      ["schedule", "bpf"],
      ["len", "bpf"],
    ]);
    expect(ops[0]!.reason).toMatch(/419-453 guest instructions .* 265-303/);
    expect(chooseBackends(checked(WHEEL(512, 128)), "kmod").ops.map((o) => o.backend)).toEqual([
      "kmod",
      "kmod",
      "kmod",
    ]);
  });
  test("a list object above nfc_rt_lists_new's 1 MiB stays pure even when forced", () => {
    const big =
      "nf w on xdp\nqueue q: timer_wheel<bytes[64]>(slots = 4096, tick_ns = 1000, capacity = 16384)\non packet {\n  if let x = q.pop_due(now_ns()) { drop }\n  pass\n}\n";
    const ops = chooseBackends(checked(big), "kmod").ops;
    expect(ops[0]!.backend).toBe("bpf");
    expect(ops[0]!.reason).toMatch(/1163264 bytes .* 1048576-byte object/);
  });
});

describe("timer_wheel kmod C", () => {
  test("kptr + nf_wheel_k holder, create once, push into the slot, pop_first over the due slots", async () => {
    const r = await compile({ file: "t.nf", source: WHEEL(512, 128) }, { runtime: "kmod" });
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const k = r.objects!.kmod!;
    expect(k.object!.length).toBeGreaterThan(0); // clang accepted it (guests verify it)
    const c = k.c;
    expect(c).toMatch(
      /struct nf_q_kw \{\n\tstruct nfc_rt_lists __nfc_kptr \*l;\n\tstruct nf_wheel_k k;\n\};/,
    );
    expect(c.match(/nfc_rt_lists_new\(512, 4, 128\)/g)).toHaveLength(2); // pop_due and schedule; len reads k
    expect(c).toMatch(
      /nfc_rt_lists_pop_first\(nf_lists(?:_\d+)?, \(__u32\)nf_val(?:_\d+)?->k\.base & 511U, nf_wheel_k_due\(&nf_val(?:_\d+)?->k, 512, 1000, nf_tmp(?:_\d+)?\), &nf_elem(?:_\d+)?, 4\)/,
    );
    expect(c).toMatch(
      /nf_wheel_k_popped\(&nf_val(?:_\d+)?->k, 512, 1000, nf_tmp(?:_\d+)?, nf_popped(?:_\d+)?\);/,
    );
    expect(c).toMatch(/nf_slot(?:_\d+)? = nf_wheel_k_slot\(&nf_val(?:_\d+)?->k, 512, 1000, 128, /);
    expect(c).toMatch(
      /\(nf_slot(?:_\d+)? >= 0\) && \(nfc_rt_lists_push\(nf_lists(?:_\d+)?, \(__u32\)nf_slot(?:_\d+)?, &nf_elem(?:_\d+)?, 4\) == 0\)/,
    );
    expect(c).toMatch(/\(nf_val(?:_\d+)? != NULL\) \? nf_val(?:_\d+)?->k\.len : 0\)/);
    expect(c.match(/bpf_kptr_xchg\(&nf_val(?:_\d+)?->l, NULL\)/g)).toHaveLength(2);
    expect(c.match(/nfc_rt_lists_release\(/g)).toHaveLength(2);
    const m = k.manifest.maps.find((x) => x.name === "q")!;
    expect([m.family, m.map_type, m.max_entries, m.value.size, m.params.structure, m.params.nlists]).toEqual([
      "opaque",
      "BPF_MAP_TYPE_ARRAY",
      1,
      32,
      "q",
      512,
    ]);
  });
  test("per_cpu: a PERCPU_ARRAY holder (one object per CPU)", async () => {
    const r = await compile(
      { file: "t.nf", source: WHEEL(64, 8, "u32", ", per_cpu") },
      { runtime: "kmod", emitObject: false },
    );
    expect(r.objects!.kmod!.manifest.maps.find((x) => x.name === "q")!.map_type).toBe(
      "BPF_MAP_TYPE_PERCPU_ARRAY",
    );
  });
});

describe("skb->tstamp in the differential", () => {
  test("unset on the interpreter means 0; any other difference is reported", () => {
    expect(tstampDiff(0, undefined)).toBeUndefined();
    expect(tstampDiff(undefined, undefined)).toBeUndefined();
    expect(tstampDiff(1_000_016_000, 1_000_016_000n)).toBeUndefined();
    expect(tstampDiff(1_000_016_000, 1_000_016_001n)).toBe(
      "skb->tstamp: kernel 1000016000, interpreter 1000016001",
    );
    expect(tstampDiff(5, undefined)).toBe("skb->tstamp: kernel 5, interpreter unset (0)");
    expect(tstampDiff(0, 7n)).toMatch(/kernel 0, interpreter 7/);
  });
});

describe.runIf(requireKernel())("carousel on the kernel", () => {
  test("every TC packet's skb->tstamp is compared and equal", async () => {
    const file = new URL("../../../examples/carousel.nf", import.meta.url);
    const r = await runDifferential("carousel.nf", readFileSync(file, "utf8"), { packets: 2000 });
    expect(r.details).toEqual([]);
    expect(r.differences).toBe(0);
    expect(r.tstamps).toBe(2000 - r.rejected.length);
    expect(r.verdicts.pass).toBeGreaterThan(1000);
  }, 120_000);
});
