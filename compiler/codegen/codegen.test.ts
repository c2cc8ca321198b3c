// Codegen shape: what every generated file must contain, hook-specific verdicts, and one golden
// for review: the C of examples/heavy_hitter.nf itself (UPDATE_GOLDEN=1 rewrites it). Behaviour is
// proven by compile-all.test.ts and the differential.
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { int } from "../ir/build.js";
import { C_U32, C_U64, C_U8, type CType } from "../ir/ctype.js";
import { generate } from "../pipeline.js";
import { printExpr } from "./print-expr.js";
import { checkSource } from "../../lang/index.js";
import { headers, tables } from "./__fixtures__/programs.js";

const golden = fileURLToPath(new URL("./__golden__/heavy_hitter.bpf.c", import.meta.url));
const example = fileURLToPath(new URL("../../examples/heavy_hitter.nf", import.meta.url));

describe("generated C", () => {
  const c = generate(checkSource(readFileSync(example, "utf8"), "heavy_hitter.nf").program!).c!;

  test("has the license, section, BTF map definitions and provenance comments", () => {
    expect(c.startsWith("// SPDX-License-Identifier: GPL-2.0\n")).toBe(true);
    expect(c).toContain('SEC("xdp")\nint heavy_hitter_prog(struct xdp_md *ctx)');
    expect(c).toContain('char LICENSE[] SEC("license") = "GPL";');
    expect(c).toContain(
      '\t__uint(type, BPF_MAP_TYPE_HASH);\n\t__type(key, __be32);\n\t__type(value, __u64);\n\t__uint(max_entries, 65536);\n} blocked SEC(".maps");',
    );
    expect(c).toContain("const volatile __u32 threshold = 10000;");
    expect(c).toMatch(/\/\* heavy_hitter\.nf:\d+:23 \*\/\n\t(\{\n\t\t)?__be32 nf_key = nf_h\.ipv4->saddr;/);
    expect(c).not.toMatch(/&amp;|&lt;|\/work\/|\/tmp\//);
  });

  test("sketch keys are hashed once per operation with the structure's seed", () => {
    expect(c).toMatch(/nf_hash64\(&f, 16, 0x[0-9a-f]{16}ULL\)/);
    expect(c).toMatch(/nf_cms_add\(&flows, 4, 0x10000, NF_CMS_CHUNK\(0x10000\), nf_hash, 1, true\);/);
  });

  test("TC programs use TC verdicts and redirect `tx` to the arrival interface", () => {
    const t = generate(tables("tc_ingress")).c!;
    expect(t).toContain('SEC("tc")\nint tables_test_with_long_name_prog(struct __sk_buff *ctx)');
    expect(t).toContain("return TC_ACT_OK;");
    expect(t).toContain("return TC_ACT_SHOT;");
    expect(t).toContain("return bpf_redirect(ctx->ifindex, 0);");
  });

  test("table add: atomic for shared maps, plain for per-CPU, with the -EEXIST retry", () => {
    const t = generate(tables()).c!;
    expect(t).toMatch(/nf_atomic_add(32|64)\(nf_val(_\d+)?, /);
    expect(t).toMatch(/\*nf_val(_\d+)? \+= 1;/);
    expect(t).toContain("BPF_NOEXIST) == -17 /* -EEXIST: inserted meanwhile */");
  });

  test("user headers are packed and bounds-checked after their parse condition", () => {
    const h = generate(headers()).c!;
    // multi-byte members have alignment-1 types (nf_ube32): their address may be taken
    expect(h).toContain(
      "struct vxlan {\n\t__u8 flags;\n\tstruct nf_bytes_3 rsvd;\n\tnf_ube32 vni;\n} __attribute__((packed));",
    );
    expect(h).toContain("if (!nf_hdr_vxlan && nf_h.udp && bpf_ntohs(nf_h.udp->dest) == 4789) {");
    expect(h).toContain("if ((void *)(p + 1) <= nf_h.data_end)");
  });

  test("golden: heavy_hitter (for review)", () => {
    if (process.env.UPDATE_GOLDEN === "1") writeFileSync(golden, c);
    expect(c).toBe(readFileSync(golden, "utf8"));
  });
});

describe("integer constants", () => {
  const sp = { file: "t.nf", start: 0, end: 0, line: 1, col: 1 } as const;
  test("every constant above INT_MAX carries a suffix, whatever its C type (-Wimplicitly-unsigned-literal)", () => {
    const lit = (value: bigint, ty: CType) => printExpr(int(value, ty, sp));
    expect(lit(18446744073709551615n, C_U64)).toBe("0xffffffffffffffffULL");
    expect(lit(9223372036854775808n, { kind: "be", bits: 64 })).toBe("0x8000000000000000ULL");
    expect(lit(4294967295n, { kind: "opaque", name: "int" })).toBe("0xffffffffU");
    expect(lit(4294967295n, C_U32)).toBe("0xffffffffU");
    expect(lit(255n, C_U8)).toBe("255");
  });
});
