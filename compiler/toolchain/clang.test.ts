// clang -target bpf: objects are real BPF ELF files, byte-identical across temp dirs, and errors
// on generated C come back as NF5004 with clang's message.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { compileBpf } from "./clang.js";

const XDP_C = `#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} seen SEC(".maps");

SEC("xdp")
int count(struct xdp_md *ctx)
{
	__u32 k = 0;
	__u64 *v = bpf_map_lookup_elem(&seen, &k);
	if (v)
		__sync_fetch_and_add(v, 1);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
`;

const scratch = mkdtempSync(join(tmpdir(), "nfc-clang-test-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function includeDir(name: string, header: string): string {
  const d = join(scratch, name);
  mkdirSync(d, { recursive: true });
  writeFileSync(join(d, "answer.h"), header);
  return d;
}

describe("compileBpf", () => {
  test("emits a BPF ELF object", () => {
    const r = compileBpf(XDP_C, { name: "count", includeDirs: [], werror: true });
    expect(r.diagnostics).toEqual([]);
    const o = r.object!;
    expect(Array.from(o.subarray(0, 4))).toEqual([0x7f, 0x45, 0x4c, 0x46]); // \x7fELF
    expect(o[18]! | (o[19]! << 8)).toBe(247); // e_machine = EM_BPF
  });

  test("is deterministic: same C in two temp dirs and two include dirs gives the same bytes", () => {
    // The header's struct and inline function leave DWARF/BTF entries naming the header's file.
    const header =
      "struct answer_val { __u64 hits; };\n" +
      "static __always_inline int answer(void *d, void *e)\n" +
      "{ unsigned char *p = d; if (p + 2 > (unsigned char *)e) return 0; return p[1] == 42; }\n";
    const c = XDP_C.replace("__type(value, __u64);", "__type(value, struct answer_val);")
      .replace("__sync_fetch_and_add(v, 1);", "__sync_fetch_and_add(&v->hits, 1);")
      .replace("__u64 *v", "struct answer_val *v")
      .replace(
        "return XDP_PASS;",
        "return answer((void *)(long)ctx->data, (void *)(long)ctx->data_end) ? XDP_PASS : XDP_DROP;",
      );
    const src = c.replace(
      "#include <bpf/bpf_helpers.h>\n",
      '#include <bpf/bpf_helpers.h>\n#include "answer.h"\n',
    );
    const a = compileBpf(src, { name: "det", includeDirs: [includeDir("one", header)], werror: true });
    const b = compileBpf(src, { name: "det", includeDirs: [includeDir("two", header)], werror: true });
    expect(a.diagnostics).toEqual([]);
    expect(b.diagnostics).toEqual([]);
    expect(Buffer.from(a.object!).equals(Buffer.from(b.object!))).toBe(true);
    const text = Buffer.from(a.object!).toString("latin1");
    expect(text).not.toContain("nfc-clang-");
    expect(text).not.toContain(scratch);
    expect(text).toContain("include0/answer.h");
  });

  test("defines are passed as -D", () => {
    const c = XDP_C.replace("return XDP_PASS;", "return VERDICT;");
    expect(
      compileBpf(c, { name: "d", includeDirs: [], defines: { VERDICT: "XDP_DROP" } }).diagnostics,
    ).toEqual([]);
    expect(compileBpf(c, { name: "d", includeDirs: [] }).diagnostics.map((d) => d.code)).toEqual(["NF5004"]);
  });

  test("a clang error on generated C is NF5004 with clang's first error line", () => {
    const r = compileBpf(XDP_C.replace("return XDP_PASS;", "return undeclared_thing;"), {
      name: "broken",
      includeDirs: [],
    });
    expect(r.object).toBeUndefined();
    expect(r.diagnostics.map((d) => d.code)).toEqual(["NF5004"]);
    expect(r.diagnostics[0]!.message).toMatch(
      /broken\.bpf\.c:\d+:\d+: error: use of undeclared identifier 'undeclared_thing'/,
    );
  });

  test('a clang that runs out of time is NF5014 (not "clang rejected the C"), without a span', () => {
    const r = compileBpf(XDP_C, { name: "slow", includeDirs: [], timeoutSeconds: 0.001 });
    expect(r.object).toBeUndefined();
    expect(r.diagnostics.map((d) => [d.code, d.span, d.message])).toEqual([
      ["NF5014", undefined, "clang did not finish compiling the generated C for `slow` within 0.001 s"],
    ]);
  });

  test("a clang killed by a signal (out-of-memory kill, crash) is NF5015", () => {
    // A clang that answers --version like clang-19 and dies on SIGKILL when asked to compile.
    const fake = join(scratch, "dying-clang");
    writeFileSync(fake, `#!/bin/sh\n[ "$1" = --version ] && exec clang-19 --version\nkill -9 $$\n`, {
      mode: 0o755,
    });
    const saved = process.env.NFC_CLANG;
    process.env.NFC_CLANG = fake;
    try {
      const r = compileBpf(XDP_C, { name: "oom", includeDirs: [] });
      expect(r.diagnostics.map((d) => [d.code, d.span, d.message])).toEqual([
        ["NF5015", undefined, "clang was killed by SIGKILL while compiling the generated C for `oom`"],
      ]);
    } finally {
      if (saved === undefined) delete process.env.NFC_CLANG;
      else process.env.NFC_CLANG = saved;
    }
  });

  test("werror turns a warning into NF5004; without it the warning is only in stderr", () => {
    const c = XDP_C.replace("__u32 k = 0;", "__u32 k = 0; int unused_var;");
    const strict = compileBpf(c, { name: "w", includeDirs: [], werror: true });
    expect(strict.diagnostics.map((d) => d.code)).toEqual(["NF5004"]);
    expect(strict.diagnostics[0]!.message).toContain("unused_var");
    const lax = compileBpf(c, { name: "w", includeDirs: [] });
    // an ELF object came back (magic 7f 45 4c 46)
    expect([...(lax.object ?? []).slice(0, 4)]).toEqual([0x7f, 0x45, 0x4c, 0x46]);
    expect(lax.stderr).toContain("-Wunused-variable");
  });

  test("an object name that is not a plain file name is refused", () => {
    const r = compileBpf(XDP_C, { name: "../escape", includeDirs: [] });
    expect(r.diagnostics.map((d) => d.code)).toEqual(["NF9999"]);
  });
});
