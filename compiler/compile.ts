// Compile an nf program in-process (the package's API, compiler/api.ts, re-exports it). Phases run
// in order and the pipeline stops after the first phase that reports an error:
//   checkSource (lang) → lowerProgram → runPasses → generateC → compileBpf (clang) → manifest.
// Files are written only when `outDir` is given. Internal exceptions become NF9999 diagnostics.
import { fileStem } from "./names/files.js";
import { mkdirSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { checkSource } from "../lang/index.js";
import type { Hook } from "../lang/ast.js";
import { hasErrors } from "../lang/diagnostics/catalogue.js";
import type { Diagnostic } from "../lang/diagnostics/diagnostic.js";
import { manifestJson, type Manifest } from "./manifest.js";
import { generate, guarded } from "./pipeline.js";
import { withNfLines } from "./codegen/line-map.js";
import { checkObject, checkStack } from "./toolchain/verifier-model.js";
import {
  compileBpf,
  JUMP_OUT_OF_RANGE,
  STACK_EXCEEDED,
  type CompileOptions as ClangOptions,
} from "./toolchain/clang.js";
import type { OpChoice, RuntimeMode } from "./backend/choice.js";
import { generateObjects, type Runtime } from "./backend/objects.js";
import { packageRoot } from "./toolchain/tools.js";

export interface CompileOptions {
  /** `bpf` (default here; the CLI defaults to `auto`): the pure object only. `kmod`: sketches
   *  through runtime-kmod kfuncs where a lowering exists. `auto`: the pure object plus, when an
   *  operation chose kmod (compiler/backend/choice.ts), `<nf>.kmod.bpf.o`. */
  runtime?: RuntimeMode;
  /** Run clang and return the object (default true). */
  emitObject?: boolean;
  /** clang -Werror (default true: warnings in generated code are compiler bugs). */
  werror?: boolean;
  /** Write `<nf>.bpf.c`, `<nf>.bpf.o`, `<nf>.manifest.json` here. */
  outDir?: string;
  /** Compile for this hook instead of the declared one (`nf x on xdp` built for `tc_ingress`, or
   *  vice versa): the checked program's hook is replaced before lowering. Used by `nfc test --hook`. */
  hook?: Hook;
  /** Test build: `now_ns()` reads the map `nf_test_clock` (set per packet by the test driver,
   *  compiler/difftest/clock.ts) instead of bpf_ktime_get_ns(). The C text is the same. */
  testClock?: boolean;
}

export interface CompileResult {
  diagnostics: Diagnostic[];
  c?: string;
  object?: Uint8Array;
  manifest?: Manifest;
  /** Paths written (only with outDir). */
  written?: string[];
  /** Every object built, by runtime (`c`/`object`/`manifest` above are the first of them). */
  objects?: Partial<Record<Runtime, { file: string; c: string; object?: Uint8Array; manifest: Manifest }>>;
  /** The per-operation backend choice and its reasons (`nfc build --explain`). */
  explain?: OpChoice[];
}

export type { Manifest };
export { generate };

/** The stdlib include directory (generated code includes "nf/nf.h"). */
export function stdlibInclude(): string {
  return join(packageRoot(), "stdlib", "include");
}

/** The runtime-kmod contract header's directory (`nfc_runtime.h`, for kmod objects). */
export function kmodInclude(): string {
  return join(packageRoot(), "runtime-kmod", "include");
}

export async function compile(
  input: string | { file: string; source: string },
  options: CompileOptions = {},
): Promise<CompileResult> {
  const { file, source } = typeof input === "string" ? { file: "<input>.nf", source: input } : input;
  return guarded(() => {
    const checked = checkSource(source, file);
    if (!checked.program || hasErrors(checked.diagnostics)) return { diagnostics: checked.diagnostics };
    const gen = generateObjects(
      options.hook ? { ...checked.program, hook: options.hook } : checked.program,
      options.runtime ?? "bpf",
    );
    const diagnostics = [...checked.diagnostics, ...gen.diagnostics];
    const first = gen.objects[0];
    if (!first || hasErrors(diagnostics)) return { diagnostics };
    const result: CompileResult = {
      diagnostics,
      c: first.c,
      manifest: first.manifest,
      objects: {},
      explain: gen.choice.ops,
    };
    for (const o of gen.objects) {
      const entry: { file: string; c: string; object?: Uint8Array; manifest: Manifest } = {
        file: o.file,
        c: o.c,
        manifest: o.manifest,
      };
      result.objects![o.runtime] = entry;
      if (options.emitObject === false) continue;
      const includeDirs = o.runtime === "kmod" ? [stdlibInclude(), kmodInclude()] : [stdlibInclude()];
      // clang compiles the C with `#line` directives naming the .nf lines (codegen/line-map.ts),
      // beside the written C and the .nf source, whose lines BTF line info then quotes.
      const name = o.file.replace(/\.bpf\.o$/, "");
      const nf = basename(file);
      const compiled = withNfLines(o.c, `${name}.bpf.c`, nf);
      const clangOpts: ClangOptions = {
        name,
        includeDirs,
        sourceName: `${name}.nf-lines.c`,
        files: { [nf]: source, [`${name}.bpf.c`]: o.c },
        werror: options.werror ?? true,
        ...(options.testClock ? { defines: { NF_TEST_CLOCK: "1" } } : {}),
      };
      const obj = compileBpf(compiled, clangOpts);
      if (!obj.object && JUMP_OUT_OF_RANGE.test(obj.stderr)) {
        // a jump past BPF's 16-bit offset (F22): measured on the v4 build, whose `gotol` reaches,
        // and reported as NF4205 at the first statement out of reach instead of clang's crash
        const v4 = compileBpf(compiled, { ...clangOpts, mcpu: "v4" });
        const far = v4.object ? checkObject(v4.object, o.c, compiled, source, file, true) : [];
        if (far.some((d) => d.code === "NF4205")) {
          result.diagnostics.push(...far.filter((d) => d.code === "NF4205"));
          return result;
        }
      }
      if (!obj.object && STACK_EXCEEDED.test(obj.stderr)) {
        // clang's real frame is over 512 bytes (its spills and temporaries, F16): measured on a
        // build with a raised limit and reported as NF4206 at the deepest access's statement
        const big = compileBpf(compiled, { ...clangOpts, extraArgs: ["-mllvm", "-bpf-stack-size=65536"] });
        const deep = big.object ? checkStack(big.object, o.c, source, file) : [];
        if (deep.length > 0) {
          result.diagnostics.push(...deep);
          return result;
        }
      }
      result.diagnostics.push(...obj.diagnostics);
      if (!obj.object) return result;
      const model = checkObject(obj.object, o.c, compiled, source, file);
      result.diagnostics.push(...model);
      if (hasErrors(model)) return result;
      entry.object = obj.object;
      if (o === first) result.object = obj.object;
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
  for (const o of Object.values(r.objects ?? {})) {
    put(o.file.replace(/\.o$/, ".c"), o.c);
    if (o.object) put(o.file, o.object);
  }
  if (r.manifest) put(`${fileStem(nf)}.manifest.json`, manifestJson(r.manifest));
  return out;
}
