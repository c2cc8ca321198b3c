// Compiles BPF C to an object with clang -target bpf, in a private temp dir, deterministically:
// the same C (and include files) give the same bytes whatever the temp dir or checkout path.
// A clang error on generated C is a compiler bug: it becomes NF5004 with clang's first errors;
// a time-out is NF5014 and a clang killed by a signal NF5015.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { isAbsolute, join, relative, resolve } from "node:path";
import { diag } from "../../lang/diagnostics/catalogue.js";
import type { Diagnostic } from "../../lang/diagnostics/diagnostic.js";
import { findClang, multiarch, packageRoot } from "./tools.js";

export interface CompileOptions {
  /** Object name: the file is compiled as `<name>.bpf.c`. Letters, digits, `_`, `-`, `.` only. */
  name: string;
  includeDirs: string[];
  werror?: boolean;
  defines?: Record<string, string>;
  /**
   * Other files clang may read, written beside the source (basename → text): the .nf source, so
   * that BTF line info for `#line "x.nf"` directives carries the .nf text. Unsafe names are skipped.
   */
  files?: Record<string, string>;
  /** The name the C is compiled under (default `<name>.bpf.c`), when `files` holds that one. */
  sourceName?: string;
  /** Stop clang after this long (NF5014). Default: `NFC_CLANG_TIMEOUT` seconds, else 120. */
  timeoutSeconds?: number;
  /** The BPF ISA (default v2). v4 is used only to measure a handler whose jumps v2 cannot encode
   *  (its `gotol` has a 32-bit offset): compiler/api.ts. */
  mcpu?: "v2" | "v4";
  /** More clang arguments (before the input): `-mllvm -bpf-stack-size=N` to measure a frame. */
  extraArgs?: string[];
}

/** clang's backend error for a frame over BPF's 512 bytes (no object: F16). */
export const STACK_EXCEEDED = /Looks like the BPF stack limit is exceeded/;

/** clang's backend error for a conditional jump past BPF's 16-bit offset (no object: F22). */
export const JUMP_OUT_OF_RANGE = /Branch target out of insn range/;

/** The clang time limit: `NFC_CLANG_TIMEOUT` (positive seconds) or 120. */
export function clangTimeoutSeconds(): number {
  const n = Number(process.env.NFC_CLANG_TIMEOUT);
  return Number.isFinite(n) && n > 0 ? n : 120;
}

export interface CompileResult {
  object?: Uint8Array;
  diagnostics: Diagnostic[];
  stderr: string;
}

/** How many lines of clang's output go into an NF5004 message. */
const ERROR_LINES = 12;
const NAME_RE = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

export function compileBpf(c: string, opts: CompileOptions): CompileResult {
  if (!NAME_RE.test(opts.name)) {
    return {
      diagnostics: [diag("NF9999", undefined, { what: `invalid object name \`${opts.name}\`` })],
      stderr: "",
    };
  }
  const found = findClang();
  if (!found.tool) return { diagnostics: found.diagnostics, stderr: "" };

  const dir = mkdtempSync(join(tmpdir(), "nfc-clang-"));
  try {
    const src = opts.sourceName && NAME_RE.test(opts.sourceName) ? opts.sourceName : `${opts.name}.bpf.c`;
    const obj = `${opts.name}.bpf.o`;
    writeFileSync(join(dir, src), c);
    for (const [name, text] of Object.entries(opts.files ?? {}))
      if (NAME_RE.test(name) && name !== src && name !== obj) writeFileSync(join(dir, name), text);
    const seconds = opts.timeoutSeconds ?? clangTimeoutSeconds();
    const r = spawnSync(
      found.tool.path,
      [...clangArgs(dir, opts), ...(opts.extraArgs ?? []), "-c", src, "-o", obj],
      {
        cwd: dir,
        encoding: "utf8",
        timeout: seconds * 1000,
        killSignal: "SIGKILL",
        maxBuffer: 64 << 20,
      },
    );
    const stderr = r.error ? String(r.error) : r.stderr;
    // A time-out or a signal is not clang's verdict on the C: distinct codes, not NF5004.
    if ((r.error as NodeJS.ErrnoException | undefined)?.code === "ETIMEDOUT")
      return { diagnostics: [diag("NF5014", undefined, { name: opts.name, seconds })], stderr };
    if (r.signal)
      return { diagnostics: [diag("NF5015", undefined, { name: opts.name, signal: r.signal })], stderr };
    if (r.status !== 0 || !existsSync(join(dir, obj))) {
      return {
        diagnostics: [diag("NF5004", undefined, { name: opts.name, errors: firstErrors(stderr) })],
        stderr,
      };
    }
    return { object: new Uint8Array(readFileSync(join(dir, obj))), diagnostics: [], stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The flags, minus input and output. Exported for `nfc build --verbose` style reporting. */
export function clangArgs(tempDir: string, opts: CompileOptions): string[] {
  // -mcpu=v2, not v3: with ALU32 clang spills loop counters as 32-bit values, which the verifier
  // does not track, and rejects some bounded loops as infinite (test/fuzz seeds 1057, 1308).
  // Atomic adds go through nf_atomic_add*() (nf/common.h), which v2 can always select.
  const args = ["-target", "bpf", `-mcpu=${opts.mcpu ?? "v2"}`, "-O2", "-g", "-Wall"];
  if (opts.werror) args.push("-Werror");
  // stdlib loops carry `unroll(full)` as a hint; when clang declines (a large inlined body inside a
  // user loop), the loop stays a bounded loop, which every supported kernel's verifier accepts.
  args.push("-Wno-pass-failed");
  // Determinism: no absolute paths in DWARF/BTF. The source is compiled by its relative name from
  // the temp dir; include dirs inside the package are recorded relative to the package root.
  args.push("-fdebug-compilation-dir=.", `-ffile-prefix-map=${tempDir}=.`);
  const root = packageRoot();
  const includeDirs = opts.includeDirs.map((d) => resolve(d));
  if (includeDirs.some((d) => isInside(d, root))) args.push(`-ffile-prefix-map=${root}=.`);
  includeDirs.forEach((d, i) => {
    if (!isInside(d, root)) args.push(`-ffile-prefix-map=${d}=include${i}`);
  });
  const triplet = multiarch();
  if (triplet && existsSync(`/usr/include/${triplet}`)) args.push(`-I/usr/include/${triplet}`);
  for (const d of includeDirs) args.push(`-I${d}`);
  for (const [k, v] of Object.entries(opts.defines ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    args.push(`-D${k}=${v}`);
  }
  return args;
}

function isInside(dir: string, root: string): boolean {
  const rel = relative(root, dir);
  return rel === "" || (!rel.startsWith("..") && !isAbsolute(rel));
}

/** From the first line that reports an error, ERROR_LINES lines (or the tail if none says error). */
function firstErrors(stderr: string): string {
  const lines = stderr.split("\n").filter((l) => l.trim() !== "");
  const first = lines.findIndex((l) => /\berror\b/.test(l));
  const from = first >= 0 ? first : Math.max(0, lines.length - ERROR_LINES);
  const picked = lines.slice(from, from + ERROR_LINES);
  return picked.length > 0 ? picked.join("\n") : "(clang printed nothing)";
}
