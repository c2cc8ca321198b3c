// run.sh's progress line: on a terminal the stages and their elapsed seconds (and the results so
// far) on stderr, the guest console in the log only; in a pipe no progress and the console on
// stdout, as before. run.sh runs for real in a scratch copy of the layout it expects, with a
// stand-in initramfs builder and a stand-in `qemu-system-x86_64` that prints two results over
// ~4 s; `script` gives it a terminal.
import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";

const dir = mkdtempSync(join(tmpdir(), "nfc-vm-progress-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function layout(): { run: string; env: NodeJS.ProcessEnv } {
  const vm = join(dir, "runtime-kmod", "vm");
  mkdirSync(join(vm, "initramfs"), { recursive: true });
  mkdirSync(join(dir, "build", "vm", "k6.1"), { recursive: true });
  mkdirSync(join(dir, "bin"), { recursive: true });
  copyFileSync(join(import.meta.dirname, "run.sh"), join(vm, "run.sh"));
  const exe = (path: string, text: string) => {
    writeFileSync(path, text);
    chmodSync(path, 0o755);
  };
  exe(join(vm, "initramfs", "build.sh"), "#!/bin/sh\nsleep 1.2\necho /dev/null\n");
  exe(
    join(dir, "bin", "qemu-system-x86_64"),
    '#!/bin/sh\necho "guest boot line"\nsleep 1.2\necho "NFC-RESULT name=a ok=1"\nsleep 2.5\necho "NFC-RESULT name=b ok=1"\necho NFC-DONE\n',
  );
  writeFileSync(join(dir, "build", "vm", "k6.1", "vm.env"), "VMLINUX=/dev/null\nVMLINUZ=/dev/null\n");
  return { run: join(vm, "run.sh"), env: { ...process.env, PATH: `${join(dir, "bin")}:${process.env.PATH}` } };
}

describe("runtime-kmod/vm/run.sh progress", () => {
  const { run, env } = layout();

  test("in a pipe: no progress, the console on stdout, the summary", () => {
    const r = spawnSync("bash", [run, "6.1"], { env, encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain("guest boot line");
    expect(r.stdout).toMatch(/NFC-SUMMARY kernel=6.1 cpu=max passed=2 failed=0 done=1/);
    expect(r.stderr).not.toContain("[vm ");
    expect(r.stdout + r.stderr).not.toContain("\x1b[2K");
  });

  test("on a terminal: stage and elapsed seconds, results so far; the console in the log", () => {
    const r = spawnSync("script", ["-qec", `bash ${run} 6.1`, "/dev/null"], { env, encoding: "utf8" });
    expect(r.status, r.stdout).toBe(0);
    const out = r.stdout;
    expect(out).toMatch(/\r\x1b\[2K\[vm 6\.1 max\] building the initramfs: \d+ s/);
    expect(out).toMatch(/\[vm 6\.1 max\] QEMU \(TCG, timeout 240 s\): [1-9]\d* s, [12] results/);
    expect(out).toContain(`guest console: ${join(dir, "build", "vm", "k6.1", "run-max.log")}`);
    expect(out).not.toContain("guest boot line");
    expect(out).toMatch(/NFC-SUMMARY kernel=6.1 cpu=max passed=2 failed=0 done=1/);
    expect(readFileSync(join(dir, "build", "vm", "k6.1", "run-max.log"), "utf8")).toContain("guest boot line");
  });
});
