// `nfc test FILE [--packets N] [--seed S] [--hook xdp|tc_ingress|tc_egress]`: first the file's
// user tests (`test "name" { }`, compiler/difftest/usertests.ts; `test "name" ... ok` or the
// failure detail), then the generated differential run (compiler/difftest) of one program — interpreter vs the kernel, per packet and state — with
// a summary; exit 1 on any difference, 3 when the kernel/toolchain fails, 2 on usage errors.
import { readFileSync } from "node:fs";
import { InvalidArgumentError, Option, type Command } from "commander";
import type { Hook } from "../../lang/ast.js";
import { diag } from "../../lang/diagnostics/catalogue.js";
import type { Diagnostic } from "../../lang/diagnostics/diagnostic.js";
import { renderHuman } from "../../lang/diagnostics/render.js";
import { decodeSource } from "../../lang/source.js";
import type { DiffReport } from "../difftest/engine.js";
import type { UserTestReport } from "../difftest/usertests.js";
import { examples } from "./help.js";

interface TestIo {
  out: (s: string) => void;
  err: (s: string) => void;
}

/** The printed summary of a differential run. */
export function formatReport(r: DiffReport): string {
  const lines = [
    `nfc test ${r.nf} (${r.hook}): ${r.packets} packets (${r.malformed} malformed), ${r.stateChecks} state comparisons${r.tstamps ? `, ${r.tstamps} tstamps compared` : ""}${r.events ? `, ${r.events} events compared` : ""}, ${r.seconds.toFixed(1)} s`,
    `  setup: ${r.setup.configs.map((c) => `${c.name}=${String(c.value.kind === "int" ? c.value.v : "?")}`).join(", ") || "no configs"}; ${r.setup.entries.length} table entries`,
    `  verdicts: ${Object.entries(r.verdicts)
      .map(([v, n]) => `${v} ${n}`)
      .join(", ")}`,
  ];
  if (r.rejected.length > 0)
    lines.push(`  refused by BPF_PROG_TEST_RUN (EINVAL, run on neither side): ${r.rejected.length}`);
  lines.push(`  differences: ${r.differences}`);
  for (const d of r.details) lines.push(`  - [${d.kind}] ${d.detail}`);
  if (r.differences > r.details.length) lines.push(`  ... ${r.differences - r.details.length} more`);
  return `${lines.join("\n")}\n`;
}

/** The printed result of the user tests: one line per test, failures indented below it. */
export function formatUserTests(r: UserTestReport): string {
  const lines: string[] = [];
  for (const t of r.tests) {
    lines.push(
      `test "${t.name}" ... ${t.ok ? "ok" : "FAILED"} (${t.packets} packets, ${t.expects} expectations)`,
    );
    for (const f of t.failures) lines.push(`  ${f.replace(/\n/g, "\n  ")}`);
  }
  if (r.tests.length > 0) {
    const failed = r.tests.filter((t) => !t.ok).length;
    lines.push(`user tests: ${r.tests.length - failed} passed, ${failed} failed`);
  }
  return lines.length > 0 ? `${lines.join("\n")}\n` : "";
}

/** A commander argument parser for integers ≥ min (a usage error, exit code 2, otherwise). */
function integer(min: number): (v: string) => number {
  return (v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`expected an integer >= ${min}`);
    return n;
  };
}

export function registerTest(program: Command, io: TestIo, setCode: (c: number) => void): void {
  program
    .command("test")
    .description("differential test: the reference interpreter vs the kernel (BPF_PROG_TEST_RUN)")
    .argument("<file>", "the .nf program")
    .option("--packets <n>", "number of packets", integer(1), 10_000)
    .option("--seed <s>", "packet and setup seed", integer(0), 1)
    .addOption(
      new Option("--hook <hook>", "compile for this hook instead of the declared one").choices([
        "xdp",
        "tc_ingress",
        "tc_egress",
      ]),
    )
    .action(async (file: string, o: { packets: number; seed: number; hook?: Hook }) => {
      const { packets, seed } = o;
      let source: string;
      try {
        const decoded = decodeSource(readFileSync(file), file);
        source = decoded.source;
        if (decoded.diagnostics.length > 0) {
          for (const d of decoded.diagnostics) io.err(renderHuman(d, source));
          setCode(1);
          return;
        }
      } catch (e) {
        io.err(renderHuman(diag("NF5013", undefined, { file, why: (e as Error).message }), ""));
        setCode(2);
        return;
      }
      const { runDifferential } = await import("../difftest/engine.js");
      const { runUserTests } = await import("../difftest/usertests.js");
      let userFailed = false;
      try {
        const u = await runUserTests(file, source);
        const errors = u.diagnostics.filter((d) => d.severity === "error");
        if (errors.length > 0) {
          for (const d of errors) io.err(renderHuman(d, source));
          setCode(errors.some((d) => d.code.startsWith("NF5")) ? 3 : 1);
          return;
        }
        io.out(formatUserTests(u));
        userFailed = u.tests.some((t) => !t.ok);
      } catch (e) {
        const d = (e as { diagnostic?: Diagnostic }).diagnostic;
        io.err(d ? renderHuman(d, source) : `nfc test: ${(e as Error).message}\n`);
        setCode(3);
        return;
      }
      let r: DiffReport;
      try {
        r = await runDifferential(file, source, { packets, seed, hook: o.hook });
      } catch (e) {
        const d = (e as { diagnostic?: Diagnostic }).diagnostic;
        io.err(d ? renderHuman(d, source) : `nfc test: ${(e as Error).message}\n`);
        setCode(3);
        return;
      }
      const errors = r.diagnostics.filter((d) => d.severity === "error");
      if (errors.length > 0) {
        for (const d of errors) io.err(renderHuman(d, source));
        setCode(errors.some((d) => d.code.startsWith("NF5")) ? 3 : 1);
        return;
      }
      io.out(formatReport(r));
      setCode(r.differences > 0 || userFailed ? 1 : 0);
    })
    .addHelpText(
      "after",
      examples(
        "nfc test examples/heavy_hitter.nf                  # its test blocks, then 10,000 seeded packets (root)",
        "nfc test fw.nf --packets 1000 --seed 7 --hook tc_ingress",
      ),
    );
}
