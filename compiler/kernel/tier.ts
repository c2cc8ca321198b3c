// Can the host kernel tier run here? Root, bpffs, the runner, and a trivial XDP program that
// compiles, loads and runs. Synchronous (usable while vitest collects suites); cached per process.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { diag } from "../../lang/diagnostics/catalogue.js";
import type { Diagnostic } from "../../lang/diagnostics/diagnostic.js";
import { compileBpf } from "../toolchain/clang.js";
import { findRunner } from "../toolchain/tools.js";

export type TierStatus = { ok: true } | { ok: false; reason: string; diagnostic: Diagnostic };

export const BPFFS = "/sys/fs/bpf";

const PROBE_C = `#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
SEC("xdp") int nfc_probe(struct xdp_md *ctx) { return XDP_PASS; }
char LICENSE[] SEC("license") = "GPL";
`;

let cached: TierStatus | undefined;

export function kernelTierStatus(): TierStatus {
  return (cached ??= probe());
}

function no(diagnostic: Diagnostic): TierStatus {
  return { ok: false, reason: `${diagnostic.code}: ${diagnostic.message}`, diagnostic };
}

export function bpffsMounted(): boolean {
  try {
    return readFileSync("/proc/mounts", "utf8")
      .split("\n")
      .some((l) => {
        const [, dir, type] = l.split(" ");
        return dir === BPFFS && type === "bpf";
      });
  } catch {
    return false;
  }
}

function probe(): TierStatus {
  const uid = process.getuid?.() ?? -1;
  if (uid !== 0) return no(diag("NF5007", undefined, { detail: `not running as root (uid ${uid})` }));
  if (!bpffsMounted()) return no(diag("NF5008", undefined, { path: BPFFS }));
  const runner = findRunner();
  if (!runner.tool) return no(runner.diagnostics[0]!);
  const compiled = compileBpf(PROBE_C, { name: "nfc_probe", includeDirs: [] });
  if (!compiled.object) return no(compiled.diagnostics[0]!);

  const dir = mkdtempSync(join(tmpdir(), "nfc-probe-"));
  try {
    const obj = join(dir, "nfc_probe.bpf.o");
    writeFileSync(obj, compiled.object);
    const packet = "00".repeat(64);
    const r = spawnSync(runner.tool, [], {
      input: `open ${obj}\nload\nrun nfc_probe ${packet}\nquit\n`,
      encoding: "utf8",
      timeout: 30_000,
    });
    const replies = (r.stdout ?? "").split("\n").filter((l) => l !== "");
    const failed = (detail: string): TierStatus => no(diag("NF5011", undefined, { detail }));
    if (r.status !== 0 || replies.length !== 4) {
      return failed(
        `probe exited with ${r.status ?? r.signal}: ${(r.stderr ?? "").trim() || replies.join(" ")}`,
      );
    }
    const [open, load, run] = replies.map((l) => JSON.parse(l) as Record<string, unknown>);
    if (!open!.ok) return failed(`cannot open the probe object: ${String(open!.error)}`);
    if (!load!.ok) {
      const e = Number(load!.errno);
      const detail = `loading a trivial XDP program failed: ${String(load!.error)}`;
      return no(
        e === 1
          ? diag("NF5007", undefined, { detail })
          : diag("NF5012", undefined, { object: "nfc_probe", detail }),
      );
    }
    if (!run!.ok || run!.retval !== 2) {
      const d = diag("NF5010", undefined, {
        program: "nfc_probe",
        errno: Number(run!.errno ?? 0),
        detail: String(run!.error ?? `retval ${String(run!.retval)}`),
      });
      return no(d);
    }
    return { ok: true };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
