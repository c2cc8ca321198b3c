// Test harness for the stdlib's kernel tests: compiles a test BPF program from stdlib/test/bpf
// with the generated-code flags (-Werror, -I stdlib/include), loads it through KernelRunner and
// hands back the runner. Also small byte helpers shared by the stdlib tests.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { KernelRunner } from "../../compiler/kernel/runner.js";
import { compileBpf } from "../../compiler/toolchain/clang.js";
import { rng } from "../../lang/rng.js";
export { rng };

const here = dirname(fileURLToPath(import.meta.url));
export const STDLIB_INCLUDE = join(here, "..", "include");
export const BPF_DIR = join(here, "bpf");

/** Compiles stdlib/test/bpf/<name>.bpf.c; throws with clang's errors on failure. */
export function compileTestProgram(name: string): Uint8Array {
  const c = readFileSync(join(BPF_DIR, `${name}.bpf.c`), "utf8");
  return compileC(name, c);
}

/** Compiles C text with the generated-code flags; throws with clang's errors on failure. */
export function compileC(name: string, c: string): Uint8Array {
  const r = compileBpf(c, { name, includeDirs: [STDLIB_INCLUDE], werror: true });
  if (!r.object) throw new Error(`${name}: ${r.diagnostics.map((d) => d.message).join("\n")}\n${r.stderr}`);
  return r.object;
}

/** Compiles, opens and loads a test program; throws with the verifier log on rejection. */
export async function loadTestProgram(name: string): Promise<KernelRunner> {
  return loadObject(name, compileTestProgram(name));
}

/** Opens and loads an object through KernelRunner; throws with the verifier log on rejection. */
export async function loadObject(name: string, obj: Uint8Array): Promise<KernelRunner> {
  const dir = mkdtempSync(join(tmpdir(), "nfc-stdlib-"));
  const runner = KernelRunner.start();
  try {
    const path = join(dir, `${name}.bpf.o`);
    writeFileSync(path, obj);
    await runner.open(path);
    const loaded = await runner.load(name);
    if (!loaded.ok)
      throw new Error(`${name} rejected: ${loaded.diagnostic.message}\n${loaded.verifierLog.slice(-4000)}`);
    return runner;
  } catch (e) {
    await runner.close();
    throw e;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const u16be = (b: Uint8Array, off: number): number => (b[off]! << 8) | b[off + 1]!;
export const u16le = (b: Uint8Array, off: number): number => b[off]! | (b[off + 1]! << 8);
export const u32le = (b: Uint8Array, off: number): number =>
  new DataView(b.buffer, b.byteOffset).getUint32(off, true);
export const i32le = (b: Uint8Array, off: number): number =>
  new DataView(b.buffer, b.byteOffset).getInt32(off, true);
export const u64le = (b: Uint8Array, off: number): bigint =>
  new DataView(b.buffer, b.byteOffset).getBigUint64(off, true);
export const hex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, "hex"));
