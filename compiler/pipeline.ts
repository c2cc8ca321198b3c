// The compiler's phases after the checker, as one function: CheckedProgram → IR → passes → C and
// manifest. No files, no processes (clang is run by api.ts). Internal exceptions become NF9999.
import type { CheckedProgram } from "../lang/checked.js";
import { diag, hasErrors } from "../lang/diagnostics/catalogue.js";
import type { Diagnostic } from "../lang/diagnostics/diagnostic.js";
import { generateC } from "./codegen/index.js";
import type { IrProgram } from "./ir/ir.js";
import { CompilerBug } from "./lower/context.js";
import { lowerProgram } from "./lower/program.js";
import { buildManifest, type Manifest } from "./manifest.js";
import { runPasses } from "./passes/index.js";

export interface Generated {
  diagnostics: Diagnostic[];
  c?: string;
  manifest?: Manifest;
  ir?: IrProgram;
}

export function generate(program: CheckedProgram, opts: { kmod?: ReadonlySet<string> } = {}): Generated {
  return guarded(() => {
    const lowered = lowerProgram(program, { runtime: "bpf", ...(opts.kmod ? { kmod: opts.kmod } : {}) });
    if (!lowered.ir || hasErrors(lowered.diagnostics)) return { diagnostics: lowered.diagnostics };
    const passed = runPasses(lowered.ir);
    const diagnostics = [...lowered.diagnostics, ...passed.diagnostics];
    if (hasErrors(diagnostics)) return { diagnostics };
    return { diagnostics, c: generateC(passed.ir), manifest: buildManifest(passed.ir), ir: passed.ir };
  });
}

/** Runs `f`; an exception (a compiler bug) becomes one NF9999 diagnostic. */
export function guarded<T extends { diagnostics: Diagnostic[] }>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    const what = e instanceof Error ? e.message : String(e);
    const span = e instanceof CompilerBug ? e.span : undefined;
    return { diagnostics: [diag("NF9999", span, { what })] } as unknown as T;
  }
}
