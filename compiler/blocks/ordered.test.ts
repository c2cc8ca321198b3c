// ordered lowering: NF4102 for arenas beyond one map value, the generated C (one stdlib call per
// op with the geometry, lock word vs per-CPU), the manifest's store map, and on the kernel user
// tests with control-plane entries, a full table and range scans (interpreter = kernel).
import { describe, expect, test } from "vitest";
import { orderedLayout } from "../../lang/blocks/ordered.js";
import { checkSource } from "../../lang/index.js";
import { U32, U64 } from "../../lang/types.js";
import { generate } from "../pipeline.js";
import { runUserTests } from "../difftest/usertests.js";
import { requireKernel } from "../kernel/testing.js";

const nf = (state: string, body: string): string =>
  `nf o on xdp\n${state}\non packet {\n${body}\n  pass\n}\n`;
const gen = (state: string, body: string) => generate(checkSource(nf(state, body), "t.nf").program!);

describe("ordered lowering", () => {
  test("NF4102 when the arena exceeds one (per-CPU) map value, at the declaration, from `nfc check` (F7)", () => {
    const pc = checkSource(
      nf("table db: ordered<u32, u64>(capacity = 1024, per_cpu)", "  db.insert(1, 2)"),
      "t.nf",
    );
    expect(pc.diagnostics.map((d) => `${d.code}@${d.span?.line}:${d.span?.col}`)).toEqual(["NF4102@2:7"]); // the structure name
    expect(pc.diagnostics[0]!.message).toMatch(/per-CPU array-map value holds at most 32768/);
    expect(pc.diagnostics[0]!.help).toMatch(/drop `per_cpu`/);
    const big = checkSource(
      nf("table db: ordered<u64, bytes[64]>(capacity = 65535)", "  db.remove(1)"),
      "t.nf",
    );
    expect(big.diagnostics.map((d) => d.code)).toEqual(["NF4102"]);
    expect(gen("table db: ordered<u32, u64>(capacity = 65535)", "  db.remove(1)").diagnostics).toEqual([]);
  });

  test("shared: one call per op with NF_ORD_GEO, a spin lock in the arena, a 1-entry store map", () => {
    const g = gen(
      "table db: ordered<u32, u64>(capacity = 1024)\ncounter a",
      "  if let v = db.get(7) { a += 1 }\n  if db.insert(7, 1) { a += 1 }\n  if let k = db.first_ge(3) { if let n = db.next(k) { a += 1 } }\n  if db.remove(7) { a += 1 }",
    );
    expect(g.diagnostics).toEqual([]);
    const c = g.c!;
    const geo = "NF_ORD_GEO(1024, 10, 40, 4, 1, 8, 8, 16, 1)";
    expect(c).toContain(`nf_ord_get(&db, ${geo}, &nf_key`);
    expect(c).toMatch(
      /nf_ord_put\(&db, NF_ORD_GEO\(1024, 10, 40, 4, 1, 8, 8, 16, 1\), &nf_key(?:_\d+)?, &nf_val(?:_\d+)?, 0x[0-9a-f]{16}ULL\)/,
    );
    expect(c).toMatch(/nf_ord_get\(&db, NF_ORD_GEO\([^)]*\), &nf_key(?:_\d+)?, 1\)/);
    expect(c).toMatch(/nf_ord_get\(&db, NF_ORD_GEO\([^)]*\), &nf_key(?:_\d+)?, 2\)/);
    expect(c).toContain("nf_ord_del(&db, ");
    expect(c).toMatch(/struct bpf_spin_lock lock;/);
    expect(c).toMatch(/struct nf_db_node node\[1025\];/);
    const m = g.manifest!.maps.find((x) => x.name === "db")!;
    expect([m.family, m.map_type, m.max_entries, m.value.size]).toEqual([
      "store",
      "BPF_MAP_TYPE_ARRAY",
      1,
      orderedLayout({ capacity: 1024 }, U32, U64).size,
    ]);
    expect(m.params).toMatchObject({ structure: "db", levels: 10, moves: 32, key_order: "numeric" });
  });

  test("per_cpu: PERCPU_ARRAY, no lock, byte keys ordered as bytes", () => {
    const g = gen("table db: ordered<ip4, u8>(capacity = 100, per_cpu)", "  db.insert(10.0.0.1, 1)");
    expect(g.diagnostics).toEqual([]);
    expect(g.c!).toMatch(/__u32 lock_unused;/);
    expect(g.c!).not.toMatch(/bpf_spin_lock/);
    const m = g.manifest!.maps.find((x) => x.name === "db")!;
    expect([m.map_type, m.params.key_order]).toEqual(["BPF_MAP_TYPE_PERCPU_ARRAY", "bytes"]);
  });
});

const KERNEL_NF = `nf ot on xdp
table db: ordered<u16, u32>(capacity = 4)
on packet {
  let u = udp else { pass }
  if u.sport == 1 { if db.insert(u.dport, 7) { pass } drop }
  if u.sport == 2 { if db.remove(u.dport) { pass } drop }
  if u.sport == 3 { if let k = db.first_ge(u.dport) { if k == 300 { tx } pass } drop }
  if u.sport == 5 { if let k = db.next(u.dport) { if k == 300 { tx } pass } drop }
  if let v = db.get(u.dport) { if v == 9 { tx } pass }
  drop
}
test "entries, full table, scans" {
  entry db[100] = 9
  entry db[300] = 1
  packet udp(sport = 4, dport = 100) => tx
  packet udp(sport = 4, dport = 300) => pass
  packet udp(sport = 4, dport = 200) => drop
  packet udp(sport = 3, dport = 101) => tx
  packet udp(sport = 5, dport = 100) => tx
  packet udp(sport = 5, dport = 300) => drop
  packet udp(sport = 1, dport = 200) => pass
  packet udp(sport = 1, dport = 201) => pass
  packet udp(sport = 1, dport = 202) => drop
  packet udp(sport = 1, dport = 100) => pass
  packet udp(sport = 4, dport = 100) => pass
  packet udp(sport = 2, dport = 100) => pass
  packet udp(sport = 2, dport = 100) => drop
  packet udp(sport = 1, dport = 202) => pass
  packet udp(sport = 3, dport = 301) => drop
  packet udp(sport = 3, dport = 0) => pass
}
`;

describe.runIf(requireKernel())("ordered on the kernel", () => {
  test("control-plane entries, full, overwrite, free-list reuse and scans agree with the interpreter", async () => {
    const r = await runUserTests("ot.nf", KERNEL_NF);
    expect(r.diagnostics).toEqual([]);
    expect(r.tests.map((t) => t.failures).flat()).toEqual([]);
    expect(r.tests.map((t) => [t.ok, t.packets])).toEqual([[true, 16]]);
  }, 120_000);
});
