// The kmod queue lowering (compiler/blocks/kmod/queues.ts): backend choice for fifo/pq, the kmod C
// (kptr holder, take-out / create-once / put-back around exactly one list kfunc per operation),
// and the shapes nfc_rt_lists_new cannot take. Guest verification: test/vm/examples.test.ts.
import { describe, expect, test } from "vitest";
import { checkSource } from "../../../lang/index.js";
import { compile } from "../../api.js";
import { chooseBackends } from "../../backend/choice.js";

const prog = (decl: string, body: string) => `nf t on xdp
${decl}
on packet {
  let ip = ipv4 else { pass }
${body}
  pass
}
`;
const PQ = (p: number, c: number, extra = "") =>
  prog(
    `queue q: pq<ip4>(priorities = ${p}, capacity = ${c}${extra})`,
    `  if !q.push(3, ip.src) { drop }\n  if let x = q.pop_min() { ip.dst = x }\n  if q.len() > 2 { drop }`,
  );
const FIFO = prog(
  "queue q: fifo<ip4>(capacity = 8)",
  "  if !q.push(ip.src) { drop }\n  if let x = q.pop() { ip.dst = x }\n  if q.len() > 2 { drop }",
);

const checked = (s: string) => {
  const r = checkSource(s, "t.nf");
  expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return r.program!;
};

describe("queue backend choice", () => {
  test("auto keeps fifo and pq pure (measured: the list object costs more); --runtime kmod forces it", () => {
    const pq = chooseBackends(checked(PQ(64, 16)), "auto").ops;
    expect(pq.map((o) => o.backend)).toEqual(["bpf", "bpf", "bpf"]);
    expect(pq[0]!.reason).toMatch(/430 guest instructions .* 301 pure/);
    expect(chooseBackends(checked(PQ(64, 16)), "kmod").ops.map((o) => o.backend)).toEqual([
      "kmod",
      "kmod",
      "kmod",
    ]);
    expect(chooseBackends(checked(FIFO), "auto").ops.map((o) => o.backend)).toEqual(["bpf", "bpf", "bpf"]);
    expect(chooseBackends(checked(FIFO), "kmod").ops.map((o) => o.backend)).toEqual(["kmod", "kmod", "kmod"]);
  });
  test("a list object above nfc_rt_lists_new's 1 MiB stays pure even when forced", () => {
    const big = prog(
      "queue q: pq<bytes[64]>(priorities = 4096, capacity = 16384)",
      "  if let x = q.pop_min() { drop }",
    );
    const ops = chooseBackends(checked(big), "kmod").ops;
    expect(ops[0]!.backend).toBe("bpf");
    expect(ops[0]!.reason).toMatch(/1163264 bytes .* 1048576-byte object/);
  });
});

describe("queue kmod C", () => {
  test("pq: kptr holder, nfc_rt_lists_new(P, sizeof T, C) once, push / pop_first / len", async () => {
    const r = await compile({ file: "t.nf", source: PQ(64, 16) }, { runtime: "kmod", emitObject: false });
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const c = r.objects!.kmod!.c;
    expect(c).toContain("struct nfc_rt_lists __nfc_kptr *l;");
    expect(c).toContain("__u64 made;");
    expect(c.match(/nfc_rt_lists_new\(64, 4, 16\)/g)).toHaveLength(3); // create-on-first-use per operation
    expect(c).toMatch(/nfc_rt_lists_push\(nf_lists(?:_\d+)?, 3, &nf_elem(?:_\d+)?, 4\) == 0/); // rank 3, element by address
    expect(c).toMatch(/nfc_rt_lists_pop_first\(nf_lists(?:_\d+)?, 0, 64, &nf_elem(?:_\d+)?, 4\) >= 0/);
    expect(c).toContain("nfc_rt_lists_len(");
    expect(c).toContain("NFC_RT_LISTS_ALL");
    // every take-out is matched by a put-back, whose displaced reference is released
    expect(c.match(/bpf_kptr_xchg\(&nf_val(?:_\d+)?->l, NULL\)/g)).toHaveLength(3);
    expect(c.match(/bpf_kptr_xchg\(&nf_val(?:_\d+)?->l, nf_lists(?:_\d+)?\)/g)).toHaveLength(3);
    expect(c.match(/nfc_rt_lists_release\(/g)).toHaveLength(3);
    const m = r.objects!.kmod!.manifest.maps.find((x) => x.name === "q")!;
    expect(m.family).toBe("opaque");
    expect(m.params).toMatchObject({ structure: "q", nlists: 64, elem_size: 4, capacity: 16 });
  });
  test("fifo forced to kmod: one list, nfc_rt_lists_pop on list 0; the kmod object compiles", async () => {
    const r = await compile({ file: "t.nf", source: FIFO }, { runtime: "kmod" });
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const c = r.objects!.kmod!.c;
    expect(c).toContain("nfc_rt_lists_new(1, 4, 8)");
    expect(c).toMatch(/nfc_rt_lists_push\(nf_lists(?:_\d+)?, 0, /);
    expect(c).toMatch(/nfc_rt_lists_pop\(nf_lists(?:_\d+)?, 0, &nf_elem(?:_\d+)?, 4\) == 0/);
    expect(r.objects!.kmod!.object!.length).toBeGreaterThan(1000);
  });
});
