// The package's public API: compile an nf program in-process. Phases run in order and the
// pipeline stops after the first phase that reports an error:
//   checkSource (lang) → lowerProgram → runPasses → generateC → compileBpf (clang) → manifest.
// Files are written only when `outDir` is given. Internal exceptions become NF9999 diagnostics.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { checkSource } from "../lang/index.js";
import type { Hook } from "../lang/ast.js";
import { hasErrors } from "../lang/diagnostics/catalogue.js";
import type { Diagnostic } from "../lang/diagnostics/diagnostic.js";
import { manifestJson, type Manifest } from "./manifest.js";
import { generate, guarded } from "./pipeline.js";
import { compileBpf } from "./toolchain/clang.js";
import { packageRoot } from "./toolchain/tools.js";

export interface CompileOptions {
  runtime?: "bpf";
  /** Run clang and return the object (default true). */
  emitObject?: boolean;
  /** clang -Werror (default true: warnings in generated code are compiler bugs). */
  werror?: boolean;
  /** Write `<nf>.bpf.c`, `<nf>.bpf.o`, `<nf>.manifest.json` here. */
  outDir?: string;
  /** Compile for this hook instead of the declared one (`nf x on xdp` built for `tc_ingress`, or
   *  vice versa): the checked program's hook is replaced before lowering. Used by `nfc test --hook`. */
  hook?: Hook;
}

export interface CompileResult {
  diagnostics: Diagnostic[];
  c?: string;
  object?: Uint8Array;
  manifest?: Manifest;
  /** Paths written (only with outDir). */
  written?: string[];
}

export type { Manifest };
export { generate };

/** The stdlib include directory (generated code includes "nf/nf.h"). */
export function stdlibInclude(): string {
  return join(packageRoot(), "stdlib", "include");
}

export async function compile(input: string | { file: string; source: string }, options: CompileOptions = {}): Promise<CompileResult> {
  const { file, source } = typeof input === "string" ? { file: "<input>.nf", source: input } : input;
  return guarded(() => {
    const checked = checkSource(source, file);
    if (!checked.program || hasErrors(checked.diagnostics)) return { diagnostics: checked.diagnostics };
    const gen = generate(options.hook ? { ...checked.program, hook: options.hook } : checked.program);
    const diagnostics = [...checked.diagnostics, ...gen.diagnostics];
    if (!gen.c || !gen.manifest || hasErrors(diagnostics)) return { diagnostics };
    const result: CompileResult = { diagnostics, c: gen.c, manifest: gen.manifest };
    if (options.emitObject !== false) {
      const obj = compileBpf(gen.c, { name: checked.program.name, includeDirs: [stdlibInclude()], werror: options.werror ?? true });
      result.diagnostics.push(...obj.diagnostics);
      if (!obj.object) return result;
      result.object = obj.object;
    }
    if (options.outDir) result.written = writeOutputs(options.outDir, checked.program.name, result);
    return result;
  });
}

function writeOutputs(dir: string, nf: string, r: CompileResult): string[] {
  mkdirSync(dir, { recursive: true });
  const out: string[] = [];
  const put = (name: string, data: string | Uint8Array) => {
    const p = join(dir, name);
    writeFileSync(p, data);
    out.push(p);
  };
  if (r.c) put(`${nf}.bpf.c`, r.c);
  if (r.object) put(`${nf}.bpf.o`, r.object);
  if (r.manifest) put(`${nf}.manifest.json`, manifestJson(r.manifest));
  return out;
}
