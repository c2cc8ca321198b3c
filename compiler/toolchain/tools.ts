// Locates the external tools nfc needs (clang, bpftool, llvm-objdump/strip, the kernel runner)
// and reports what is missing as NF5xxx diagnostics. Results are cached per process.
import { spawnSync } from "node:child_process";
import { accessSync, constants, existsSync, readFileSync } from "node:fs";
import { delimiter, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { diag } from "../../lang/diagnostics/catalogue.js";
import type { Diagnostic } from "../../lang/diagnostics/diagnostic.js";

export const MIN_CLANG_MAJOR = 14;
const CLANG_CANDIDATES = ["clang-19", "clang"];

export interface Clang {
  path: string;
  /** As printed by `--version`, e.g. "19.1.7". */
  version: string;
  major: number;
}

export type Found<T> = { tool: T; diagnostics: [] } | { tool?: undefined; diagnostics: Diagnostic[] };

let cachedRoot: string | undefined;

/** The package root (the directory of nfc's package.json), found from this file's location, so it
 *  works from `compiler/toolchain/*.ts` (tests) and `dist/compiler/toolchain/*.js` alike. */
export function packageRoot(): string {
  if (cachedRoot) return cachedRoot;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pj = join(dir, "package.json");
    if (existsSync(pj) && JSON.parse(readFileSync(pj, "utf8")).name === "nfc") return (cachedRoot = dir);
    const up = dirname(dir);
    if (up === dir)
      throw new Error("nfc: cannot find the package root above " + fileURLToPath(import.meta.url));
    dir = up;
  }
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Resolves a command name on PATH (plus `extraDirs`); a name containing `/` is taken as a path. */
export function which(
  name: string,
  extraDirs: string[] = [],
  pathVar = process.env.PATH,
): string | undefined {
  if (name.includes("/")) return isExecutable(name) ? name : undefined;
  const dirs = (pathVar ?? "").split(delimiter).filter((d) => d !== "");
  for (const d of [...dirs, ...extraDirs]) {
    const p = join(d, name);
    if (isExecutable(p)) return p;
  }
  return undefined;
}

/** Parses `clang --version` output ("Debian clang version 19.1.7 (...)"). */
export function parseClangVersion(text: string): { version: string; major: number } | undefined {
  const m = /clang version (\d+)\.(\d+)(?:\.(\d+))?/.exec(text);
  if (!m) return undefined;
  return {
    version: m
      .slice(1)
      .filter((x) => x !== undefined)
      .join("."),
    major: Number(m[1]),
  };
}

const versionCache = new Map<string, string>();

function versionText(path: string): string {
  let out = versionCache.get(path);
  if (out === undefined) {
    const r = spawnSync(path, ["--version"], { encoding: "utf8", timeout: 20_000 });
    out = r.error ? "" : `${r.stdout}${r.stderr}`;
    versionCache.set(path, out);
  }
  return out;
}

/** Finds clang: `NFC_CLANG` if set (and then nothing else), else `clang-19`, then `clang`. */
export function findClang(env: NodeJS.ProcessEnv = process.env): Found<Clang> {
  const override = env.NFC_CLANG;
  if (override !== undefined && override !== "") {
    const path = which(override, [], env.PATH);
    if (!path) {
      const why = existsSync(override) ? "is not executable" : "does not exist";
      return { diagnostics: [diag("NF5002", undefined, { path: override, why })] };
    }
    const v = parseClangVersion(versionText(path));
    if (!v) return { diagnostics: [diag("NF5002", undefined, { path: override, why: "is not clang" })] };
    return checkVersion({ path, ...v });
  }
  for (const name of CLANG_CANDIDATES) {
    const path = which(name, [], env.PATH);
    if (!path) continue;
    const v = parseClangVersion(versionText(path));
    if (v) return checkVersion({ path, ...v });
  }
  return { diagnostics: [diag("NF5001", undefined, { tried: "`clang-19`, `clang` on PATH" })] };
}

function checkVersion(c: Clang): Found<Clang> {
  if (c.major < MIN_CLANG_MAJOR) {
    return {
      diagnostics: [diag("NF5003", undefined, { path: c.path, version: c.version, min: MIN_CLANG_MAJOR })],
    };
  }
  return { tool: c, diagnostics: [] };
}

/** bpftool; Debian installs it in /usr/sbin, which is not on a normal user's PATH. */
export function findBpftool(): Found<string> {
  const path = which("bpftool", ["/usr/sbin", "/sbin"]);
  return path ? { tool: path, diagnostics: [] } : { diagnostics: [diag("NF5005", undefined, {})] };
}

/** Optional LLVM tools (for inspecting objects); undefined when absent. */
export function findLlvmTool(name: "llvm-objdump" | "llvm-strip"): string | undefined {
  return which(`${name}-19`) ?? which(name) ?? which(name, ["/usr/lib/llvm-19/bin"]);
}

/** Path where ./setup.sh builds the kernel runner (it may not exist). */
export function runnerPath(): string {
  return join(packageRoot(), "build", "nfc-runner");
}

export function findRunner(): Found<string> {
  const path = runnerPath();
  return isExecutable(path)
    ? { tool: path, diagnostics: [] }
    : { diagnostics: [diag("NF5006", undefined, { path })] };
}

let cachedMultiarch: string | null | undefined;

/** The Debian multiarch triplet (x86_64-linux-gnu): `<linux/bpf.h>` needs /usr/include/<it>. */
export function multiarch(): string | undefined {
  if (cachedMultiarch !== undefined) return cachedMultiarch ?? undefined;
  const ask = (cmd: string, args: string[]): string => {
    const r = spawnSync(cmd, args, { encoding: "utf8", timeout: 10_000 });
    return r.status === 0 ? r.stdout.trim() : "";
  };
  const fallback: Record<string, string> = { x64: "x86_64-linux-gnu", arm64: "aarch64-linux-gnu" };
  const found =
    ask("gcc", ["-print-multiarch"]) ||
    ask("dpkg-architecture", ["-qDEB_HOST_MULTIARCH"]) ||
    (fallback[process.arch] ?? "");
  cachedMultiarch = found === "" ? null : found;
  return found === "" ? undefined : found;
}
