// The runtime-kmod VM tier seen from vitest: is it runnable here, run one boot, parse its lines.
// Shell side: runtime-kmod/vm/{prepare.sh,run.sh} (see runtime-kmod/CONTEXT.md).
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const REPO = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const VM_DIR = join(REPO, "runtime-kmod", "vm");

export type VmKernel = "6.1" | "6.12";
export type VmCpu = "max" | "base";
export type VmTierStatus = { ok: true; prepareSeconds: number } | { ok: false; reason: string };

/** One `NFC-RESULT name=... ok=0|1 key=value ...` line; quoted values lose their quotes. */
export interface VmResult {
  name: string;
  ok: boolean;
  fields: Record<string, string>;
}

export interface VmRun {
  exitCode: number | null;
  results: VmResult[];
  done: boolean;
  summary: Record<string, string>;
  wallSeconds: number;
  output: string;
}

const FIELD = /([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|\S+)/g;

export function parseFields(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of text.matchAll(FIELD)) {
    const v = m[2]!;
    out[m[1]!] = v.startsWith('"') ? v.slice(1, -1) : v;
  }
  return out;
}

/** Parses a guest console log; lines may carry a trailing \r from the serial console. */
export function parseConsole(log: string): Pick<VmRun, "results" | "done" | "summary"> {
  const results: VmResult[] = [];
  let done = false;
  let summary: Record<string, string> = {};
  for (const raw of log.split("\n")) {
    const line = raw.replace(/\r$/, "");
    if (line.startsWith("NFC-RESULT ")) {
      const fields = parseFields(line.slice("NFC-RESULT ".length));
      results.push({ name: fields.name ?? "", ok: fields.ok === "1", fields });
    } else if (line === "NFC-DONE") {
      done = true;
    } else if (line.startsWith("NFC-SUMMARY ")) {
      summary = parseFields(line.slice("NFC-SUMMARY ".length));
    }
  }
  return { results, done, summary };
}

let cached: VmTierStatus | undefined;

/** Synchronous (usable while vitest collects): runs the idempotent prepare.sh once per process. */
export function vmTierStatus(): VmTierStatus {
  return (cached ??= probe());
}

function probe(): VmTierStatus {
  if (process.platform !== "linux" || process.arch !== "x64")
    return { ok: false, reason: `needs linux x86-64, this is ${process.platform} ${process.arch}` };
  const uid = process.getuid?.() ?? -1;
  if (uid !== 0) return { ok: false, reason: `needs root to build the initramfs (uid ${uid})` };
  const start = Date.now();
  // Host packages belong to setup.sh: the test never installs them (NFC_VM_NO_APT=1).
  const r = spawnSync("bash", [join(VM_DIR, "prepare.sh")], {
    env: { ...process.env, NFC_VM_NO_APT: "1" },
    encoding: "utf8",
    timeout: 15 * 60_000,
  });
  const prepareSeconds = (Date.now() - start) / 1000;
  if (r.status !== 0) {
    const tail = `${r.stdout ?? ""}${r.stderr ?? ""}`.trim().split("\n").slice(-3).join(" | ");
    return { ok: false, reason: `runtime-kmod/vm/prepare.sh failed (${r.status ?? r.signal}): ${tail}` };
  }
  for (const k of ["6.1", "6.12"])
    if (!existsSync(join(REPO, "build", "vm", `k${k}`, "vm.env")))
      return { ok: false, reason: `prepare.sh left no build/vm/k${k}/vm.env` };
  return { ok: true, prepareSeconds };
}

/** Boots one guest through run.sh; never rejects (a failed boot is a result to assert on). */
export function runVm(kernel: VmKernel, cpu: VmCpu, timeoutSeconds = 240): Promise<VmRun> {
  const start = Date.now();
  return new Promise((resolve) => {
    const child = spawn(
      "bash",
      [join(VM_DIR, "run.sh"), kernel, "--cpu", cpu, "--timeout", String(timeoutSeconds)],
      {
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let output = "";
    child.stdout.on("data", (b: Buffer) => (output += b.toString("utf8")));
    child.stderr.on("data", (b: Buffer) => (output += b.toString("utf8")));
    child.on("close", (code) => {
      resolve({ exitCode: code, output, wallSeconds: (Date.now() - start) / 1000, ...parseConsole(output) });
    });
  });
}
