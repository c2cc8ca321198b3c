// `nfc build --stats`: static sizes of each object just built, measured by loading it on the running
// kernel through build/nfc-runner (root): xlated instructions, instructions the verifier processed
// (bpf_prog_info.verified_insns, the "processed N insns" of the verifier log) and JIT bytes. The
// loading and the numbers are the bench's (compiler/bench/measure.ts loadAll / staticSize).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Diagnostic } from "../../lang/diagnostics/diagnostic.js";
import { closeAll, loadAll, staticSize } from "../bench/measure.js";
import { KernelError } from "../kernel/runner.js";

export interface StatsLine {
  file: string;
  program: string;
  xlated: number;
  verified: number;
  jited: number;
}

/** One object's sizes (a line per program), or the kernel's diagnostic (NF5xxx) when it does not load. */
export type ObjectStats = { file: string; lines: StatsLine[] } | { file: string; diagnostic: Diagnostic };

/** Loads each object in its own runner, one at a time, and returns its sizes. */
export async function objectStats(
  objects: ReadonlyArray<{ file: string; object: Uint8Array }>,
): Promise<ObjectStats[]> {
  const dir = mkdtempSync(join(tmpdir(), "nfc-stats-"));
  const out: ObjectStats[] = [];
  try {
    for (const o of objects) {
      const label = o.file.replace(/\.bpf\.o$/, "").replace(/[^A-Za-z0-9_.-]/g, "_");
      try {
        const loaded = await loadAll([{ label, object: o.object }], dir);
        out.push({
          file: o.file,
          lines: loaded.map((l) => ({ file: o.file, program: l.program, ...staticSize(l) })),
        });
        await closeAll(loaded);
      } catch (e) {
        if (!(e instanceof KernelError)) throw e;
        out.push({ file: o.file, diagnostic: e.diagnostic });
      }
    }
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `stats <file> <program>: xlated N insns, verified N insns, jited N bytes` */
export function formatStats(l: StatsLine): string {
  return `stats ${l.file} ${l.program}: xlated ${l.xlated} insns, verified ${l.verified} insns, jited ${l.jited} bytes`;
}
