// Kernel tier: real loads and BPF_PROG_TEST_RUN through build/nfc-runner (no mocks).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { compileBpf } from "../toolchain/clang.js";
import { fromHex, KernelError, KernelRunner, toHex } from "./runner.js";
import { requireKernel } from "./testing.js";

const scratch = mkdtempSync(join(tmpdir(), "nfc-runner-test-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Compiles C with clang -Werror and writes the object; returns its path. */
function build(name: string, c: string): string {
  const r = compileBpf(c, { name, includeDirs: [], werror: true });
  if (!r.object) throw new Error(r.diagnostics.map((d) => d.message).join("\n"));
  const path = join(scratch, `${name}.bpf.o`);
  writeFileSync(path, r.object);
  return path;
}

const PRELUDE = `#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
char LICENSE[] SEC("license") = "GPL";
`;

// Writes the config byte over the first byte, counts runs per CPU, bounces the packet.
const REWRITE_C = `${PRELUDE}
const volatile __u8 mark_byte = 0xee;

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, __u64);
} table SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u32);
} runs SEC(".maps");

SEC("xdp")
int rewrite(struct xdp_md *ctx)
{
	__u8 *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	__u32 k = 0;
	__u32 *n = bpf_map_lookup_elem(&runs, &k);
	if (n)
		*n += 1;
	if (data + 1 > end)
		return XDP_ABORTED;
	data[0] = mark_byte;
	return XDP_TX;
}

SEC("tc")
int set_mark(struct __sk_buff *skb)
{
	skb->mark = 0x1234;
	return 2; /* TC_ACT_SHOT */
}
`;

// Reads a packet byte with no bounds check: the verifier must refuse it.
const OOB_C = `${PRELUDE}
SEC("xdp")
int oob(struct xdp_md *ctx)
{
	__u8 *data = (void *)(long)ctx->data;
	return data[20] == 1 ? XDP_DROP : XDP_PASS;
}
`;

const packet = (): Uint8Array => Uint8Array.from({ length: 64 }, (_, i) => i);
const u32le = (v: number): Uint8Array => new Uint8Array(new Uint32Array([v]).buffer);

describe.runIf(requireKernel())("kernel runner", () => {
  let rewriteObj = "";
  let oobObj = "";
  beforeAll(() => {
    rewriteObj = build("rewrite", REWRITE_C);
    oobObj = build("oob", OOB_C);
  });

  describe("a loaded XDP + TC object", () => {
    let k: KernelRunner;
    beforeAll(async () => {
      k = KernelRunner.start();
      expect(await k.open(rewriteObj)).toEqual(["rewrite", "set_mark"]);
      await k.config("mark_byte", Uint8Array.of(0xab));
      const loaded = await k.load();
      if (!loaded.ok) throw new Error(loaded.diagnostic.message);
      const p = loaded.programs.find((x) => x.name === "rewrite")!;
      expect(p).toMatchObject({ section: "xdp", type: "xdp" });
      expect(p.xlated_insns).toBeGreaterThan(5);
      expect(p.verified_insns).toBeGreaterThan(5);
      expect(p.jited_bytes).toBeGreaterThan(0);
      expect(loaded.programs.find((x) => x.name === "set_mark")?.type).toBe("sched_cls");
    });
    afterAll(() => k.close());

    test("XDP run: retval XDP_TX and the first byte rewritten with the config value", async () => {
      const r = await k.run("rewrite", packet());
      expect(r.retval).toBe(3);
      const want = packet();
      want[0] = 0xab;
      expect(toHex(r.data)).toBe(toHex(want));
      expect(r.size).toBe(64);
    });

    test("hash map update/lookup/dump/delete round trip with exact bytes", async () => {
      const key = u32le(7);
      const value = fromHex("0102030405060708");
      await k.update("table", key, value);
      expect(await k.lookup("table", key)).toEqual({ value });
      expect(await k.lookup("table", u32le(8))).toBeUndefined();
      expect(await k.dump("table")).toEqual([{ key, value }]);
      expect(await k.delete("table", key)).toBe(true);
      expect(await k.delete("table", key)).toBe(false);
      expect(await k.info("table")).toMatchObject({
        type: "hash",
        key_size: 4,
        value_size: 8,
        max_entries: 16,
        percpu: false,
      });
    });

    test("per-CPU array: update writes every CPU, run on a CPU counts on that CPU only", async () => {
      const info = await k.info("runs");
      expect(info).toMatchObject({ type: "percpu_array", percpu: true });
      const cpus = info.possible_cpus;
      await k.update("runs", u32le(0), u32le(10));
      expect((await k.lookup("runs", u32le(0)))?.values).toEqual(
        Array.from({ length: cpus }, () => u32le(10)),
      );
      await k.run("rewrite", packet(), { cpu: 0 });
      await k.run("rewrite", packet(), { repeat: 3, cpu: 0 });
      const after = (await k.lookup("runs", u32le(0)))!.values!;
      expect(after[0]).toEqual(u32le(14));
      for (let c = 1; c < cpus; c++) expect(after[c]).toEqual(u32le(10));
    });

    test("TC run: zeroed __sk_buff in, mark read back", async () => {
      const r = await k.run("set_mark", packet());
      expect(r.retval).toBe(2);
      expect(r.skb).toEqual({ mark: 0x1234, priority: 0, tstamp: 0 });
    });

    test("a packet shorter than an Ethernet header fails the run with NF5010 (EINVAL)", async () => {
      const err = await k.run("rewrite", Uint8Array.of(1, 2, 3)).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(KernelError);
      expect((err as KernelError).diagnostic.code).toBe("NF5010");
      expect((err as KernelError).reply).toMatchObject({ ok: false, errno: 22 });
    });

    test("malformed commands get error replies and the runner keeps going", async () => {
      const cases: Array<[string, RegExp]> = [
        ["bogus", /unknown command 'bogus'/],
        ["update table", /usage: update MAP KEYHEX VALHEX/],
        ["lookup table zz", /key: not an even-length hex string/],
        ["lookup table 0102", /key: expected 4 bytes, got 2/],
        ["lookup nosuch 00000000", /no map named 'nosuch'/],
        ["run nosuch 00", /no program named 'nosuch'/],
        ["run rewrite 00 0", /REPEAT must be a positive integer/],
        ["run rewrite 00 1 x", /CPU must be a CPU number/],
        ["load", /already loaded/],
        ["config mark_byte 01", /config must come before load/],
        [Array.from({ length: 20 }, () => "x").join(" "), /too many arguments/],
      ];
      for (const [line, error] of cases) {
        const r = await k.send(line);
        expect(r.ok, line).toBe(false);
        expect(r.ok ? "" : r.error, line).toMatch(error);
      }
      expect((await k.run("rewrite", packet())).retval).toBe(3);
    });
  });

  test("commands before open/load are refused; open of a missing file is NF5012", async () => {
    const k = KernelRunner.start();
    try {
      expect(await k.send("load")).toMatchObject({
        ok: false,
        error: expect.stringMatching(/no object open/),
      });
      const err = await k.open(join(scratch, "missing.bpf.o")).catch((e: unknown) => e);
      expect((err as KernelError).diagnostic.code).toBe("NF5012");
      expect((err as KernelError).reply).toMatchObject({ errno: 2 });
      await k.open(rewriteObj);
      expect(await k.send("run rewrite 00")).toMatchObject({
        ok: false,
        error: expect.stringMatching(/not loaded/),
      });
      expect(await k.send("config nope 00")).toMatchObject({
        ok: false,
        error: expect.stringMatching(/no const volatile global named 'nope'/),
      });
      expect(await k.send("config mark_byte 0102")).toMatchObject({
        ok: false,
        error: "value: expected 1 bytes, got 2",
      });
    } finally {
      await k.close();
    }
  });

  test("an out-of-bounds packet read is rejected by the verifier: NF5009 with the log", async () => {
    const k = KernelRunner.start();
    try {
      await k.open(oobObj);
      const r = await k.load("oob");
      expect(r.ok).toBe(false);
      if (r.ok) return;
      expect(r.diagnostic.code).toBe("NF5009");
      expect(r.program).toBe("oob");
      expect(r.verifierLog).toMatch(/invalid access to packet/);
      expect(r.diagnostic.message).toMatch(/invalid access to packet/);
      expect(r.reply).toMatchObject({ ok: false, errno: 13 });
      // The object is closed after a failed load; the runner still answers.
      expect(await k.send("run oob 00")).toMatchObject({
        ok: false,
        error: expect.stringMatching(/no object open/),
      });
    } finally {
      await k.close();
    }
  });

  test("a runner that cannot start is NF5011, not a hang", async () => {
    const k = KernelRunner.start({ path: join(scratch, "no-such-runner"), timeoutMs: 5_000 });
    const err = await k.send("version").catch((e: unknown) => e);
    expect((err as KernelError).diagnostic.code).toBe("NF5011");
    await k.close(); // returns although the process never existed
  });
});
