// Builds the objects a runtime mode asks for: `bpf` → the pure object, `kmod` → the kmod object
// (every structure with a kmod lowering that fits), `auto` → the pure object always plus the
// kmod object when at least one operation chose kmod. Each object gets its own manifest
// (`runtime`, `requires_abi`, maps); the pure one (or the only one) lists every object built.
import { objectFile } from "../names/files.js";
import type { CheckedProgram } from "../../lang/checked.js";
import { hasErrors } from "../../lang/diagnostics/catalogue.js";
import type { Diagnostic } from "../../lang/diagnostics/diagnostic.js";
import { KMOD_ABI_VERSION } from "../blocks/kmod/index.js";
import type { Manifest, ManifestObject } from "../manifest.js";
import { generate } from "../pipeline.js";
import { chooseBackends, type Choice, type RuntimeMode } from "./choice.js";

export type Runtime = "bpf" | "kmod";

export interface GeneratedObject {
  runtime: Runtime;
  /** Object file name: `<nf>.bpf.o` (pure) or `<nf>.kmod.bpf.o`. */
  file: string;
  /** C file name beside it. */
  cFile: string;
  c: string;
  manifest: Manifest;
}

export interface GeneratedObjects {
  diagnostics: Diagnostic[];
  choice: Choice;
  objects: GeneratedObject[];
}

export { objectFile };

export function generateObjects(prog: CheckedProgram, mode: RuntimeMode): GeneratedObjects {
  const choice = chooseBackends(prog, mode);
  const wanted: Runtime[] =
    mode === "bpf"
      ? ["bpf"]
      : mode === "kmod"
        ? ["kmod"]
        : choice.kmodStates.size > 0
          ? ["bpf", "kmod"]
          : ["bpf"];
  const diagnostics: Diagnostic[] = [];
  const objects: GeneratedObject[] = [];
  for (const runtime of wanted) {
    const kmod = runtime === "kmod" ? choice.kmodStates : new Set<string>();
    const gen = generate(prog, { kmod });
    diagnostics.push(...gen.diagnostics);
    if (!gen.c || !gen.manifest || !gen.ir || hasErrors(gen.diagnostics))
      return { diagnostics, choice, objects: [] };
    // The kmod object is kmod only if some structure actually uses kfuncs (--runtime kmod on a
    // program of tables is the pure program under the kmod name).
    const manifest: Manifest =
      runtime === "kmod" && kmod.size > 0
        ? { ...gen.manifest, runtime: "kmod", requires_abi: KMOD_ABI_VERSION }
        : gen.manifest;
    const file = objectFile(prog.name, runtime);
    objects.push({ runtime, file, cFile: file.replace(/\.o$/, ".c"), c: gen.c, manifest });
  }
  const listing: ManifestObject[] = objects.map((o) => ({
    file: o.file,
    runtime: o.manifest.runtime,
    ...(o.manifest.requires_abi !== undefined ? { requires_abi: o.manifest.requires_abi } : {}),
    maps: o.manifest.maps,
    schema_hash: o.manifest.schema_hash,
    operations: choice.ops.map((c) => ({
      at: `${c.span.file.split("/").pop()}:${c.span.line}:${c.span.col}`,
      structure: c.structure,
      kind: c.kind,
      op: c.op,
      backend: o.runtime === "kmod" ? c.backend : "bpf",
      reason: o.runtime === "kmod" || c.backend === "bpf" ? c.reason : "pure object",
    })),
  }));
  if (objects[0]) objects[0].manifest = { ...objects[0].manifest, objects: listing };
  return { diagnostics, choice, objects };
}
