// Class test for issue 14 class 1, "user names leak into C's namespace": every reserved class —
// C keywords, names the included headers define (c-reserved.ts, scanned from them), toolchain
// prefixes, stdlib symbols, the shapes of nfc's own generated names — in every user-name position
// (nf name, const, config, type, field, header, header field, table, sketch, counter, local, loop
// variable). Each program must compile with -Werror, load, and agree with the interpreter on
// every packet and on all state. Plus: two tables sharing a 15-character prefix, and a
// 300-character NF name.
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { compile } from "../compiler/api.js";
import { runDifferential } from "../compiler/difftest/engine.js";
import { requireKernel } from "../compiler/kernel/testing.js";
import { HEADER_NAMES } from "../compiler/names/c-reserved.js";
import { C_KEYWORDS, LIBC_BUILTINS } from "../compiler/names/reserved.js";
import { hasErrors } from "../lang/diagnostics/catalogue.js";
import { checkSource } from "../lang/index.js";

const SLOTS = [
  "NF",
  "K",
  "CFG",
  "T",
  "F1",
  "F2",
  "H",
  "HF1",
  "HF2",
  "TAB",
  "TAB2",
  "SK",
  "C1",
  "C2",
  "L1",
  "L2",
  "LV",
  "L3",
  "L4",
  "L5",
] as const;
type Slot = (typeof SLOTS)[number];

function program(n: Record<Slot, string>): string {
  return `nf ${n.NF} on xdp

const ${n.K}: u32 = 3
config ${n.CFG}: u32 = 2
type ${n.T} { ${n.F1}: u32, ${n.F2}: u16 }
header ${n.H} { ${n.HF1}: u8, ${n.HF2}: u16 }
parse udp.dport == 4789 => ${n.H}
table ${n.TAB}: hash<u32, ${n.T}>(capacity = 64)
table ${n.TAB2}: lru<ip4, u64>(capacity = 64)
sketch ${n.SK}: count_min<u32>(rows = 2, width = 64)
counter ${n.C1}, ${n.C2}

on packet {
  let ${n.L1} = ipv4 else { pass }
  var ${n.L2}: u32 = ${n.K}
  for ${n.LV} in 0..4 {
    ${n.L2} = ${n.L2} + ${n.LV}
  }
  ${n.SK}.add(${n.L2} + ${n.CFG} + (${n.L1}.src as u32 & 7), 1)
  if let ${n.L3} = ${n.H} {
    ${n.C2} += 1
    if ${n.L3}.${n.HF1} == 1 { drop }
    if ${n.L3}.${n.HF2} == 2 { tx }
  }
  ${n.TAB2}.add(${n.L1}.src, 1)
  let ${n.L4} = ${n.T} { ${n.F1}: ${n.L2}, ${n.F2}: 7 }
  ${n.TAB}.insert(${n.L1}.dst as u32 & 15, ${n.L4})
  if let ${n.L5} = ${n.TAB}.get(${n.L1}.src as u32 & 15) {
    if ${n.L5}.${n.F2} == 7 { ${n.C1} += 1 }
  }
  if ${n.SK}.estimate(${n.L2}) > ${n.CFG} + 40 { drop }
  pass
}
`;
}

/** Names the language itself accepts as a table name (its own keywords are not C's problem). */
function accepted(name: string): boolean {
  const r = checkSource(
    `nf t on xdp\ntable ${name}: hash<u32, u32>(capacity = 4)\non packet { pass }\n`,
    "t.nf",
  );
  return !hasErrors(r.diagnostics);
}

/** Every `step`-th element, so a class is sampled across its whole range, deterministically. */
const spread = (xs: readonly string[], n: number) =>
  xs.filter((_, i) => i % Math.max(1, Math.floor(xs.length / n)) === 0).slice(0, n);

const stdlib = HEADER_NAMES.filter((x) => /^(nf_|NF_|nfc_)/.test(x));
const headers = HEADER_NAMES.filter((x) => !/^(nf_|NF_|nfc_)/.test(x));
const CLASSES: Record<string, string[]> = {
  keywords: C_KEYWORDS.filter(accepted),
  headers: [
    ...new Set([
      "NULL",
      "XDP_PASS",
      "XDP_DROP",
      "LICENSE",
      "SEC",
      "ethhdr",
      "iphdr",
      "xdp_md",
      "TC_ACT_OK",
      ...spread(headers, 20),
    ]),
  ].filter(accepted),
  toolchain: [
    "__u32",
    "__be16",
    "bpf_map_lookup_elem",
    "BPF_ANY",
    "bpf_htons",
    "__builtin_memset",
    "_Bool",
    "__always_inline",
    "__uint",
    "__type",
  ].filter(accepted),
  stdlib: [
    ...new Set([
      "nf_parse",
      "nf_hdrs",
      "NF_H_ETH",
      "nf_hash64",
      "nf_cms_add",
      "nf_present",
      ...spread(stdlib, 15),
    ]),
  ].filter(accepted),
  generated: [
    "nf_h",
    "nf_key",
    "nf_key_1",
    "nf_cnt",
    "nf_cnt_key",
    "nf_counters",
    "nf_tmp",
    "nf_hash",
    "nf_val",
    "u_int",
    "u_NULL",
    "ctx",
    "h",
    "p",
    "cnt",
    "cnt_key",
    "key_0",
    "tmp_0",
    "cfg_x",
    "counters",
    "scratch",
    "_pad0",
    "__pad0",
    "hdr_x",
    "flows_cells",
    "main",
    "PROG",
  ].filter(accepted),
};
const KINDS = Object.keys(CLASSES);

/** Program j: slot k takes a name of class (j + k) mod 5, so over 5 programs every class meets every slot. */
function names(j: number): Record<Slot, string> {
  const used = new Set<string>();
  const out = {} as Record<Slot, string>;
  SLOTS.forEach((slot, k) => {
    const pool = CLASSES[KINDS[(j + k) % KINDS.length]!]!;
    let i = (j * SLOTS.length + k) % pool.length;
    while (used.has(pool[i % pool.length]!) || (slot === "NF" && pool[i % pool.length] === "PROG")) i++;
    const name = pool[i % pool.length]!;
    used.add(name);
    out[slot] = name;
  });
  for (const s of SLOTS) if (out[s] === "PROG") out[s] = `${out.NF}_prog`;
  return out;
}

describe("adversarial names", () => {
  test("each class keeps enough names the language accepts", () => {
    for (const k of KINDS) expect([k, CLASSES[k]!.length >= 5]).toEqual([k, true]);
  });

  for (let j = 0; j < 2 * KINDS.length; j++) {
    test.runIf(requireKernel())(
      `program ${j}: compiles with -Werror, loads, zero differences`,
      async () => {
        const n = names(j);
        const src = program(n);
        const r = await runDifferential(`n${j}.nf`, src, { packets: 300, seed: j + 1, stateEvery: 100 });
        expect(
          r.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.code} ${d.message}`),
          JSON.stringify(n),
        ).toEqual([]);
        expect(r.details.map((d) => d.detail)).toEqual([]);
        expect(r.differences).toBe(0);
        expect(r.packets).toBe(300);
        expect(r.stateChecks).toBeGreaterThan(0);
      },
      120_000,
    );
  }
});

describe("C library builtins and section names (F23, F26)", () => {
  test("as configs, tables and counters: compiles with -Werror", async () => {
    const usable = LIBC_BUILTINS.filter((n) => !["strlen", "abs", "exit"].includes(n)).filter(
      (n) => checkSource(`nf x on xdp\nconfig ${n}: u32 = 1\non packet { pass }\n`, "x.nf").program,
    );
    expect(usable.length).toBeGreaterThan(200);
    const src =
      `nf libc on xdp\n${usable.map((n) => `config ${n}: u32 = 1`).join("\n")}\n` +
      "table license: hash<u32, u32>(capacity = 4)\ntable memcpy_t: hash<u32, u32>(capacity = 4)\n" +
      "table strlen: hash<u32, u32>(capacity = 4)\ncounter abs, exit, maps\n" +
      `on packet {\n  license.insert(pkt_len(), ${usable.slice(0, 40).join(" + ")})\n` +
      "  strlen.insert(memcpy + 1, 2)\n  abs += 1\n  exit += 1\n  maps += 1\n  pass\n}\n";
    const r = await compile({ file: "libc.nf", source: src }, { werror: true });
    expect(r.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.code} ${d.message}`)).toEqual(
      [],
    );
    expect(r.object).toBeDefined();
  }, 120_000);
});

describe("long names", () => {
  const shared = `nf shared_prefix on xdp
table blocked_sources_by_src_v4: hash<u32, u64>(capacity = 64)
table blocked_sources_by_src_v6: hash<u32, u64>(capacity = 64)
table blocked_sources: hash<u32, u64>(capacity = 64)
on packet {
  let ip = ipv4 else { pass }
  blocked_sources_by_src_v4.add(ip.src as u32 & 31, 1)
  blocked_sources_by_src_v6.add(ip.dst as u32 & 31, 2)
  blocked_sources.add(ip.dst as u32 & 7, 3)
  pass
}
`;

  test("maps sharing a 15-character prefix get distinct kernel names; the manifest has all three", async () => {
    const r = await compile({ file: "shared_prefix.nf", source: shared });
    const maps = r.manifest!.maps;
    expect(maps.map((m) => m.name)).toEqual([
      "blocked_sources_by_src_v4",
      "blocked_sources_by_src_v6",
      "blocked_sources",
    ]);
    expect(new Set(maps.map((m) => m.kernel_name)).size).toBe(3);
    for (const m of maps) expect(m.kernel_name).toBe(m.symbol.slice(0, 15));
    expect(maps[2]!.symbol).toBe("blocked_sources");
    expect(maps[0]!.symbol).toMatch(/^blocked_so_[0-9a-f]{4}$/);
    expect(r.c).toMatch(
      /\/\* shared_prefix\.nf:2:\d+ table blocked_sources_by_src_v4: hash<u32, u64>\(capacity = 64\) \*\//,
    );
  });

  test.runIf(requireKernel())(
    "and both load as two maps that the differential reads",
    async () => {
      const r = await runDifferential("shared_prefix.nf", shared, { packets: 300, seed: 3, stateEvery: 100 });
      expect(r.diagnostics).toEqual([]);
      expect(r.differences).toBe(0);
      expect(r.stateChecks).toBeGreaterThan(0);
    },
    120_000,
  );

  test.runIf(requireKernel())(
    "a 300-character NF name builds to bounded file names and runs",
    async () => {
      const nf = `n${"x".repeat(299)}`;
      const src = `nf ${nf} on xdp\ncounter seen\non packet {\n  seen += 1\n  pass\n}\n`;
      const dir = mkdtempSync(join(tmpdir(), "nfc-names-"));
      try {
        const r = await compile({ file: "long.nf", source: src }, { outDir: dir });
        expect(r.diagnostics).toEqual([]);
        const files = readdirSync(dir).sort();
        expect(files).toHaveLength(3);
        for (const f of files)
          expect(f).toMatch(
            new RegExp(`^${nf.slice(0, 55)}-[0-9a-f]{8}\\.(bpf\\.c|bpf\\.o|manifest\\.json)$`),
          );
        const d = await runDifferential("long.nf", src, { packets: 50, seed: 1 });
        expect(d.diagnostics).toEqual([]);
        expect(d.differences).toBe(0);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    120_000,
  );
});
