// VM tier for runtime-kmod: builds nfc_runtime.ko and its BPF selftests for Debian's 6.1 and
// 6.12 kernels, boots each under QEMU/TCG with a hardware-feature CPU (`max`) and one without
// (`base`, scalar fallbacks), and asserts every NFC-RESULT line the guest prints.
// When the tier cannot run: NFC_REQUIRE_KERNEL=1 → a failing test; otherwise one loud skip.
import { beforeAll, describe, expect, test } from "vitest";
import { parseConsole, runVm, vmTierStatus, type VmCpu, type VmKernel, type VmRun } from "./vm-tier.js";

function requireVmTier(): boolean {
  const s = vmTierStatus();
  if (s.ok) {
    console.log(`[nfc] vm tier: prepare.sh took ${s.prepareSeconds.toFixed(1)} s`);
    return true;
  }
  if (process.env.NFC_REQUIRE_KERNEL === "1") {
    test("vm tier is available (NFC_REQUIRE_KERNEL=1)", () => {
      throw new Error(`the vm tier cannot run: ${s.reason}`);
    });
  } else {
    console.warn(
      `\n[nfc] SKIPPING vm-tier tests: ${s.reason}\n[nfc] set NFC_REQUIRE_KERNEL=1 to make this a failure\n`,
    );
    test.skip(`vm tier unavailable: ${s.reason}`, () => undefined);
  }
  return false;
}

// Every check the guest must report (runtime-kmod/vm/initramfs/{init,tests.txt}).
const EXPECTED = [
  "insmod",
  "module_btf",
  "params",
  "abi_probe",
  "abi",
  "popcnt_xdp",
  "popcnt_tc",
  "crc32c_xdp",
  "crc32c_tc",
  "hash_xdp",
  "hash_tc",
  "cms_xdp",
  "cms_tc",
  "cs_xdp",
  "bloom_xdp",
  "bloom_tc",
  "sig_xdp",
  "sig_tc",
  "bitops_xdp",
  "bitops_tc",
  "geo_xdp",
  "geo_tc",
  "memops_xdp",
  "memops_tc",
  "lists_xdp",
  "lists_tc",
  "pop_first_xdp",
  "pop_first_tc",
  "mem_xdp",
  "mem_tc",
  "reject_progtype",
  "reject_small_buf",
  "reject_leak",
  "reject_double_release",
  "reject_untrusted",
  "live_objects_zero",
  "rmmod",
  "dmesg_clean",
] as const;

// Values every CPU model must produce bit for bit (hardware paths and scalar fallbacks alike):
// result name -> .bss values the selftest printed.
const IDENTICAL: Record<string, Record<string, string>> = {
  hash_xdp: { hash_pkt: "0x730b00bf6675182a", checks: "15" },
  hash_tc: { hash_pkt: "0x730b00bf6675182a", checks: "15" },
  cms_xdp: { est4: "0x69", est8: "0x3", rows_changed: "0x4", checks: "18" },
  cms_tc: { est4: "0x69", est8: "0x3", rows_changed: "0x4", checks: "18" },
  cs_xdp: { cs_est: "0x7", checks: "6" },
  bloom_xdp: { bloom_bits: "0x7", checks: "8" },
  bloom_tc: { bloom_bits: "0x7", checks: "8" },
  sig_xdp: { mask_beef: "0x8208", find_beef: "0x3", lookup_hit: "0x9", lookups_wrong: "0x0", checks: "18" },
  sig_tc: { mask_beef: "0x8208", find_beef: "0x3", lookup_hit: "0x9", lookups_wrong: "0x0", checks: "18" },
  bitops_xdp: { pops: "0x18", pop_sorted: "0x1", first3: "0x46", checks: "26" },
  bitops_tc: { pops: "0x18", pop_sorted: "0x1", first3: "0x46", checks: "26" },
  geo_xdp: { checks: "14" },
  memops_xdp: { cmp_wrong: "0x0", copy_bad: "0x0", checks: "8" },
  memops_tc: { cmp_wrong: "0x0", copy_bad: "0x0", checks: "8" },
  // 6 pushes fit a capacity of 6, the 7th is -ENOSPC (-28); FIFO pops 11, 12, 13
  lists_xdp: {
    pushed: "0x6",
    full_ret: "0xffffffffffffffe4",
    popped_sum: "0x1b26d",
    stored: "0x1",
    checks: "13",
  },
  lists_tc: {
    pushed: "0x6",
    full_ret: "0xffffffffffffffe4",
    popped_sum: "0x1b26d",
    stored: "0x1",
    checks: "13",
  },
  // ABI 3 pop_first: 130 then 130 (r sums to 260), FIFO 1 then 2; a wrapping range finds list 7
  pop_first_xdp: {
    order: "0xc",
    wrap_list: "0x7",
    total_after: "0x0",
    empty_ret: "0xfffffffffffffffe",
    checks: "16",
  },
  pop_first_tc: {
    order: "0xc",
    wrap_list: "0x7",
    total_after: "0x0",
    empty_ret: "0xfffffffffffffffe",
    checks: "16",
  },
  // walk A->B->C->back to B; after unowning B: 2 owned, then 6 more fit max_nodes 8
  mem_xdp: { walk: "0x41424342", count_after: "0x2", extra_nodes: "0x6", checks: "20" },
  mem_tc: { walk: "0x41424342", count_after: "0x2", extra_nodes: "0x6", checks: "20" },
};

// enum nfc_rt_feature: CRC32C_HW | POPCNT_HW | AVX2 under `-cpu max`, none under qemu64.
const FEATURES: Record<VmCpu, string> = { max: "0x7", base: "0x0" };

describe("console parser", () => {
  test("reads results, quoted values, done and summary; strips serial \\r", () => {
    const p = parseConsole(
      'noise\r\nNFC-RESULT name=a ok=1 crc=0xe3069283\r\nNFC-RESULT name=b ok=0 reason="load failed: -22"\r\n' +
        "NFC-DONE\r\nNFC-SUMMARY kernel=6.1 cpu=max passed=1 failed=1\n",
    );
    expect(p.results).toEqual([
      { name: "a", ok: true, fields: { name: "a", ok: "1", crc: "0xe3069283" } },
      { name: "b", ok: false, fields: { name: "b", ok: "0", reason: "load failed: -22" } },
    ]);
    expect(p.done).toBe(true);
    expect(p.summary.failed).toBe("1");
  });
  test("a log without NFC-DONE is not done", () => {
    expect(parseConsole("NFC-RESULT name=a ok=1\nKernel panic").done).toBe(false);
  });
});

const RUNS: [VmKernel, VmCpu][] = [
  ["6.1", "max"],
  ["6.1", "base"],
  ["6.12", "max"],
  ["6.12", "base"],
];

describe.runIf(requireVmTier())("runtime-kmod in a VM", () => {
  for (const [kernel, cpu] of RUNS) {
    describe(`linux ${kernel}, -cpu ${cpu}`, () => {
      let run: VmRun;
      beforeAll(async () => {
        run = await runVm(kernel, cpu);
        const s = run.summary;
        console.log(
          `[nfc] vm ${kernel}/${cpu}: exit ${run.exitCode}, ${s.passed ?? "?"} ok / ${s.failed ?? "?"} failed, ` +
            `build ${s.build_s ?? "?"} s, boot+test ${s.boot_s ?? "?"} s, wall ${run.wallSeconds.toFixed(1)} s`,
        );
        if (run.exitCode !== 0) console.log(run.output.slice(-6000));
      }, 300_000);

      test("guest finished and run.sh exited 0", () => {
        expect(run.done).toBe(true);
        expect(run.exitCode).toBe(0);
      });

      test.each(EXPECTED)("%s", (name) => {
        const r = run.results.find((x) => x.name === name);
        expect(r, `no NFC-RESULT line for ${name}`).not.toBeUndefined();
        expect(r!.fields.ok, r!.fields.reason ?? JSON.stringify(r!.fields)).toBe("1");
      });

      test("no result line beyond the expected ones failed", () => {
        expect(run.results.filter((r) => !r.ok).map((r) => r.name)).toEqual([]);
      });

      test("kfunc values: abi 3, features match the cpu, crc32c check values", () => {
        const get = (n: string) => run.results.find((r) => r.name === n)?.fields ?? {};
        expect(get("abi_probe").abi).toBe("3");
        expect(get("abi").abi).toBe("0x3");
        expect(get("abi").features).toBe(FEATURES[cpu]);
        expect(get("params").features).toBe(FEATURES[cpu]);
        for (const n of ["crc32c_xdp", "crc32c_tc"]) {
          expect(get(n).crc_pkt).toBe("0xe3069283");
          expect(get(n).crc_map).toBe("0xee4dde69");
          expect(get(n).checks).toBe("13");
        }
        expect(get("popcnt_tc").checks).toBe("6");
      });

      test.each(Object.keys(IDENTICAL))("%s: values identical on every cpu model", (name) => {
        const f = run.results.find((r) => r.name === name)?.fields ?? {};
        for (const [k, v] of Object.entries(IDENTICAL[name]!)) expect(f[k], `${name}.${k}`).toBe(v);
      });

      test("geometric pool statistics are plausible for p = 1/16 and 1/8", () => {
        for (const n of ["geo_xdp", "geo_tc"]) {
          const f = run.results.find((r) => r.name === n)?.fields ?? {};
          const mean = Number(f.geo_mean_x100) / 100;
          expect(mean, n).toBeGreaterThanOrEqual(13.5);
          expect(mean, n).toBeLessThanOrEqual(16.5);
          expect(Number(f.sampled), n).toBeGreaterThanOrEqual(420);
          expect(Number(f.sampled), n).toBeLessThanOrEqual(610);
        }
      });
    });
  }
});
