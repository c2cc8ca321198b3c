// One seed through the whole promise: generate → check → clang -Werror → verifier → interpreter
// and kernel on the same packet stream (compiler/difftest/engine.ts), and where it stopped.
import type { Diagnostic } from "../../lang/diagnostics/diagnostic.js";
import { runDifferential } from "../../compiler/difftest/engine.js";
import { checkSource } from "../../lang/index.js";
import { generateProgram, type Coverage, type Feature } from "./gen/index.js";

/** Where a seed stopped. `ok` = accepted, compiled, loaded and differential-clean. */
export type Stage =
  | "generator" // the generator threw (a generator bug)
  | "crash" // NF9999 or an exception in nfc
  | "rejected" // the checker refused a valid program (NF1/2/3xxx): a generator or checker bug
  | "limit" // refused by a coded limit (NF4xxx) in `check`: in scope, not a soundness failure
  | "late-limit" // a coded limit only `build` reports: the checker accepted a program that cannot be built
  | "clang" // NF5004: the generated C does not compile
  | "load" // the verifier or libbpf refused the object
  | "toolchain" // other NF5xxx (runner trouble)
  | "diff" // interpreter and kernel disagree
  | "ok";

export interface SeedResult {
  seed: number;
  stage: Stage;
  code?: string;
  detail: string;
  source: string;
  cov?: Coverage;
  seconds: number;
  /** Kernel seeds: seconds in the checker, in compile (codegen + clang), load (runner + verifier), packets. */
  timing?: { check: number; compile: number; load: number; packets: number };
}

/** The stage a diagnostic stops a seed at. */
export function stageOf(d: Diagnostic): Stage {
  if (d.code === "NF9999") return "crash";
  if (/^NF[123]/.test(d.code)) return "rejected";
  if (d.code.startsWith("NF4")) return "limit";
  if (d.code === "NF5004") return "clang";
  if (d.code === "NF5009" || d.code === "NF5012") return "load";
  return "toolchain";
}

export function firstError(ds: readonly Diagnostic[]): Diagnostic | undefined {
  return ds.find((d) => d.severity === "error");
}

/** A diagnostic on one line: its first lines and, for a long one (a verifier log), its last ones,
 *  where the verifier says why it stopped. */
function oneLine(d: Diagnostic): string {
  const ls = d.message.split("\n");
  const kept = ls.length <= 10 ? ls : [...ls.slice(0, 3), "...", ...ls.slice(-5)];
  return `${d.code} ${kept.join(" | ")}${d.span ? ` at ${d.span.line}:${d.span.col}` : ""}`;
}

/** Checker only (fast; no kernel). */
export function checkSeed(seed: number, off: ReadonlySet<Feature>): SeedResult {
  const t0 = Date.now();
  let gen;
  try {
    gen = generateProgram(seed, off);
  } catch (e) {
    return { seed, stage: "generator", detail: String((e as Error).stack), source: "", seconds: 0 };
  }
  const r = checkSource(gen.source, `fuzz_${seed}.nf`);
  const err = firstError(r.diagnostics);
  const seconds = (Date.now() - t0) / 1000;
  if (err)
    return {
      seed,
      stage: stageOf(err),
      code: err.code,
      detail: oneLine(err),
      source: gen.source,
      cov: gen.cov,
      seconds,
    };
  return { seed, stage: "ok", detail: "", source: gen.source, cov: gen.cov, seconds };
}

/** The whole property for one seed (needs the kernel). */
export async function runSeed(seed: number, off: ReadonlySet<Feature>, packets: number): Promise<SeedResult> {
  const checked = checkSeed(seed, off);
  if (checked.stage !== "ok") return checked;
  const t0 = Date.now();
  try {
    const rep = await runDifferential(`fuzz_${seed}.nf`, checked.source, {
      packets,
      seed,
      stateEvery: 100,
      maxDetails: 3,
    });
    const err = firstError(rep.diagnostics);
    const seconds = checked.seconds + (Date.now() - t0) / 1000;
    const late = (st: Stage): Stage => (st === "limit" ? "late-limit" : st);
    const timing = { check: checked.seconds, ...rep.timing };
    if (err)
      return { ...checked, stage: late(stageOf(err)), code: err.code, detail: oneLine(err), seconds, timing };
    if (rep.differences)
      return {
        ...checked,
        stage: "diff",
        detail: `${rep.differences} differences; ${rep.details.map((d) => `${d.kind}: ${d.detail.split("\n")[0]}`).join(" || ")}`,
        seconds,
        timing,
      };
    return { ...checked, seconds, timing };
  } catch (e) {
    return {
      ...checked,
      stage: "crash",
      detail: String((e as Error).stack ?? e)
        .split("\n")
        .slice(0, 4)
        .join(" | "),
      seconds: (Date.now() - t0) / 1000,
    };
  }
}
