#!/usr/bin/env node
// nfc: the command line, a thin wrapper around compiler/api.ts.
//   nfc --version | --help | help COMMAND
//   nfc build FILE [-o DIR] [--runtime bpf|kmod|auto] [--explain] [--stats] [--no-object] [--diagnostics human|short|json]
//   nfc check FILE [-q] [--diagnostics ...]          one summary line on success (stdout) unless -q
//   nfc explain CODE | --list
//   nfc fmt FILE... [--check]                         (cli/fmt.ts)
//   nfc test FILE [--packets N] [--seed S] [--hook xdp|tc_ingress|tc_egress]   (cli/test.ts)
//   nfc bench FILE... [--rounds N] [--flows N] [--packets N] [--single N] [--json F] [--svg F]   (cli/bench.ts)
//   nfc load | unload | status | table | counters   (cli/deploy.ts, compiler/deploy)
//   nfc watch | metrics                               (cli/observe.ts)
// Exit codes: 0 ok, 1 errors in the program, 2 usage errors, 3 toolchain/kernel (NF5xxx),
// 4 deploy/operate (NF60xx), 70 internal.
import { readFileSync, realpathSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Command, CommanderError, Option } from "commander";
import { checkSource } from "../../lang/index.js";
import { decodeSource } from "../../lang/source.js";
import { catalogue, diag } from "../../lang/diagnostics/catalogue.js";
import type { Diagnostic } from "../../lang/diagnostics/diagnostic.js";
import { renderHuman, renderJson, renderShort } from "../../lang/diagnostics/render.js";
import { packageRoot } from "../toolchain/tools.js";
import { examples } from "./help.js";
import { registerTest } from "./test.js";
import { registerBench } from "./bench.js";
import { registerFmt } from "./fmt.js";
import { registerDeploy } from "./deploy.js";
import { registerObserve } from "./observe.js";

export const EXIT = { ok: 0, user: 1, usage: 2, toolchain: 3, internal: 70 } as const;

type Format = "human" | "short" | "json";

export interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
  readStdin: () => string;
}

const defaultIo: Io = {
  out: (s) => process.stdout.write(s),
  err: (s) => process.stderr.write(s),
  readStdin: () => readFileSync(0, "utf8"),
};

/** The exit code for a set of diagnostics (worst wins). */
export function exitCodeFor(ds: readonly Diagnostic[]): number {
  const errors = ds.filter((d) => d.severity === "error");
  if (errors.some((d) => d.code === "NF9999")) return EXIT.internal;
  if (errors.some((d) => d.code.startsWith("NF5"))) return EXIT.toolchain;
  return errors.length > 0 ? EXIT.user : EXIT.ok;
}

function count(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? "" : "s"}`;
}

/** `file: ok (0 errors, 1 warning)`: the line `nfc check` prints when the program checks. */
export function checkSummary(file: string, ds: readonly Diagnostic[]): string {
  const errors = ds.filter((d) => d.severity === "error").length;
  const warnings = ds.filter((d) => d.severity === "warning").length;
  return `${file}: ${errors === 0 ? "ok" : "failed"} (${count(errors, "error")}, ${count(warnings, "warning")})\n`;
}

function version(): string {
  return (JSON.parse(readFileSync(join(packageRoot(), "package.json"), "utf8")) as { version: string })
    .version;
}

function render(ds: readonly Diagnostic[], format: Format, source: string): string {
  return ds
    .map((d) => {
      const text =
        format === "json" ? renderJson(d) : format === "short" ? renderShort(d) : renderHuman(d, source);
      return text.endsWith("\n") ? text : `${text}\n`;
    })
    .join("");
}

/** The input, or NF5013 (exit code 2: the file is part of the command line). A file that is not
 *  UTF-8 comes with NF1027 in `invalid` (exit code 1, like any error in the program). */
function readInput(
  file: string,
  io: Io,
): { file: string; source: string; invalid: Diagnostic[] } | { error: Diagnostic } {
  try {
    if (file === "-") return { file: "<stdin>.nf", source: io.readStdin(), invalid: [] };
    const { source, diagnostics } = decodeSource(readFileSync(file), file);
    return { file, source, invalid: diagnostics };
  } catch (e) {
    const errno = (e as NodeJS.ErrnoException).code;
    const why =
      errno === "ENOENT"
        ? "no such file"
        : errno === "EISDIR"
          ? "it is a directory"
          : errno === "EACCES"
            ? "permission denied"
            : (e as Error).message;
    return { error: diag("NF5013", undefined, { file, why }) };
  }
}

/** Runs the CLI; returns the exit code (never calls process.exit itself). */
export async function run(argv: string[], io: Io = defaultIo): Promise<number> {
  let code: number = EXIT.ok;
  const formatOpt = () =>
    new Option("--diagnostics <format>", "diagnostics format")
      .choices(["human", "short", "json"])
      .default("human");
  const program = new Command("nfc")
    .description("compile network functions (.nf) to eBPF for XDP and TC")
    .version(version(), "-V, --version", "print nfc's version")
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err });

  program
    .command("build")
    .description("check a program, generate BPF C and its manifest, and compile the object(s) with clang")
    .argument("<file>", "the .nf program (`-` reads stdin)")
    .option("-o, --out <dir>", "output directory", "out")
    .addOption(
      new Option("--runtime <runtime>", "backend: pure BPF, runtime-kmod kfuncs, or both objects (auto)")
        .choices(["bpf", "kmod", "auto"])
        .default("auto"),
    )
    .option("--explain", "print, per structure operation, the backend chosen and why")
    .option(
      "--stats",
      "load each object built on this kernel (root) and print xlated/verified insns and JIT bytes",
    )
    .option("--no-object", "emit C and manifest only (skip clang)")
    .addOption(
      new Option(
        "--emit <what>",
        "also write a typed TypeScript control-plane client, <nf>.client.ts",
      ).choices(["client"]),
    )
    .option("--client-import <specifier>", "module the client imports the control plane from", "nfc")
    .addOption(formatOpt())
    .action(
      async (
        file: string,
        o: {
          out: string;
          emit?: "client";
          clientImport: string;
          object: boolean;
          diagnostics: Format;
          runtime: "bpf" | "kmod" | "auto";
          explain?: boolean;
          stats?: boolean;
        },
      ) => {
        const input = readInput(file, io);
        if ("error" in input) {
          io.err(render([input.error], o.diagnostics, ""));
          code = EXIT.usage;
          return;
        }
        if (input.invalid.length > 0) {
          io.err(render(input.invalid, o.diagnostics, input.source));
          code = EXIT.user;
          return;
        }
        // Loaded here so that `nfc check` does not pay for the back end's modules.
        const { compile } = await import("../compile.js");
        const r = await compile(input, { emitObject: o.object, outDir: o.out, runtime: o.runtime });
        io.err(render(r.diagnostics, o.diagnostics, input.source));
        code = exitCodeFor(r.diagnostics);
        if (o.explain && r.explain) {
          const { explainLines } = await import("../backend/choice.js");
          for (const l of explainLines(input.file.split("/").pop() ?? input.file, {
            ops: r.explain,
            kmodStates: new Set(),
          }))
            io.out(`${l}\n`);
        }
        if (code === EXIT.ok && o.emit === "client" && r.manifest) {
          const { writeClient } = await import("../deploy/client-gen.js");
          r.written = [...(r.written ?? []), writeClient(r.manifest, o.out, o.clientImport)];
        }
        if (code === EXIT.ok) for (const p of r.written ?? []) io.out(`wrote ${p}\n`);
        const kmod = r.objects?.kmod;
        if (code === EXIT.ok && kmod?.object) {
          // The kmod object cannot load without runtime-kmod: say so, with this host's state.
          const { probeRuntime } = await import("../loader/probe.js");
          const abi = kmod.manifest.requires_abi ?? 0;
          const pure = r.objects?.bpf?.object
            ? `; ${r.objects.bpf.file} loads on any kernel (\`nfc load\` picks)`
            : "";
          io.out(
            `note: ${kmod.file} needs runtime-kmod (module nfc_runtime, ABI ${abi}) to load; here: ${probeRuntime(abi).reason}${pure}\n`,
          );
        }
        if (code === EXIT.ok && o.stats) {
          // The kmod object needs runtime-kmod in this kernel: when it does not load, that is a note.
          const { objectStats, formatStats } = await import("./stats.js");
          const built = Object.entries(r.objects ?? {}).flatMap(([rt, x]) =>
            x.object ? [{ rt, file: x.file, object: x.object }] : [],
          );
          const stats = await objectStats(built);
          for (const [i, s] of stats.entries()) {
            if ("lines" in s) for (const l of s.lines) io.out(`${formatStats(l)}\n`);
            else if (built[i]!.rt === "kmod")
              io.out(`stats ${s.file}: not loaded (${s.diagnostic.message.split("\n")[0]})\n`);
            else {
              io.err(render([s.diagnostic], o.diagnostics, input.source));
              code = Math.max(code, exitCodeFor([s.diagnostic]));
            }
          }
        }
      },
    )
    .addHelpText(
      "after",
      examples(
        "nfc build examples/heavy_hitter.nf          # out/heavy_hitter.bpf.c, .bpf.o, .manifest.json",
        "nfc build fw.nf -o build/nf --runtime bpf --stats",
        "nfc build fw.nf --no-object --explain       # C and manifest only; why each backend",
      ),
    );

  program
    .command("check")
    .description("report a program's diagnostics without generating code (editors, CI)")
    .argument("<file>", "the .nf program (`-` reads stdin)")
    .option("-q, --quiet", "print nothing when the program checks")
    .addOption(formatOpt())
    .action((file: string, o: { diagnostics: Format; quiet?: boolean }) => {
      const input = readInput(file, io);
      if ("error" in input) {
        io.err(render([input.error], o.diagnostics, ""));
        code = EXIT.usage;
        return;
      }
      if (input.invalid.length > 0) {
        io.err(render(input.invalid, o.diagnostics, input.source));
        code = EXIT.user;
        return;
      }
      const r = checkSource(input.source, input.file);
      io.err(render(r.diagnostics, o.diagnostics, input.source));
      code = exitCodeFor(r.diagnostics);
      if (code === EXIT.ok && !o.quiet) io.out(checkSummary(input.file, r.diagnostics));
    })
    .addHelpText(
      "after",
      examples(
        "nfc check examples/heavy_hitter.nf          # examples/heavy_hitter.nf: ok (0 errors, 0 warnings)",
        "nfc check -q --diagnostics short fw.nf      # file:line:col lines only",
        "cat fw.nf | nfc check - --diagnostics json  # one JSON object per diagnostic",
      ),
    );

  program
    .command("explain")
    .description("print the long explanation of a diagnostic code, with a wrong and a right example")
    .argument("[code]", "a diagnostic code, e.g. NF2001")
    .option("--list", "list every code with its title")
    .action((c: string | undefined, o: { list?: boolean }) => {
      if (o.list) {
        for (const k of Object.keys(catalogue).sort())
          io.out(`${k}  ${catalogue[k as keyof typeof catalogue].title}\n`);
        return;
      }
      if (c === undefined) {
        io.err("nfc: explain needs a code (e.g. `nfc explain NF2001`) or `--list`\n");
        code = EXIT.usage;
        return;
      }
      const key = c.toUpperCase() as keyof typeof catalogue;
      const e = catalogue[key];
      if (!e) {
        io.err(`nfc: unknown diagnostic code \`${c}\` (codes look like NF2001)\n`);
        code = EXIT.usage;
        return;
      }
      io.out(`${key}: ${e.title}\n\n${e.explain}\n`);
    })
    .addHelpText("after", examples("nfc explain NF3001", "nfc explain --list"));

  registerFmt(program, io, (c) => (code = c));
  registerTest(program, io, (c) => (code = c));
  registerDeploy(program, io, (c) => (code = c), exitCodeFor);
  registerObserve(program, io, (c) => (code = c), exitCodeFor);
  registerBench(program, io, (c) => (code = c), {
    exitCodeFor,
    render: (ds, src) => render(ds, "human", src),
    readFile: (f) => readInput(f, io),
  });

  try {
    await program.parseAsync(argv, { from: "user" });
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    io.err(`nfc: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
    return EXIT.internal;
  }
  return code;
}

function invokedDirectly(): boolean {
  try {
    return process.argv[1] !== undefined && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url);
  } catch {
    return false;
  }
}

if (invokedDirectly()) {
  run(process.argv.slice(2)).then((c) => process.exit(c));
}
