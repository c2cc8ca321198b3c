// Observing loaded NFs (compiler/deploy/watch.ts, compiler/metrics/):
//   nfc watch NF [--json] [--count N] [--seconds S]   events as they arrive, with drop counts
//   nfc metrics [NF...] --listen ADDR:PORT             Prometheus exposition of counters, tables, events, sketches
// Errors are NF60xx (exit 4), like the deploy commands.
import type { Command } from "commander";
import type { Diagnostic } from "../../lang/diagnostics/diagnostic.js";
import { renderHuman } from "../../lang/diagnostics/render.js";
import { DeployError } from "../deploy/errors.js";
import { KernelError } from "../kernel/runner.js";
import { EXIT_DEPLOY } from "./deploy.js";
import { examples } from "./help.js";

interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
}

export function registerObserve(
  program: Command,
  io: Io,
  setCode: (c: number) => void,
  exitCodeFor: (ds: Diagnostic[]) => number,
): void {
  const guard = async (f: () => Promise<void>): Promise<void> => {
    try {
      await f();
    } catch (e) {
      const d = e instanceof DeployError || e instanceof KernelError ? e.diagnostic : undefined;
      if (!d) throw e;
      const text = renderHuman(d, "");
      io.err(text.endsWith("\n") ? text : `${text}\n`);
      setCode(d.code.startsWith("NF6") ? EXIT_DEPLOY : exitCodeFor([d]));
    }
  };
  const positive = (v: string | undefined): number | undefined =>
    v === undefined ? undefined : Math.max(0, Number(v));

  program
    .command("watch")
    .addHelpText("after", examples("nfc watch heavy_hitter", "nfc watch heavy_hitter --json | jq .src"))
    .description("a loaded NF's events as they arrive, decoded by its manifest, with drop counts (root)")
    .argument("<nf>", "the NF's name")
    .option("--json", "one JSON object per line")
    .option("--count <n>", "stop after N events")
    .option("--seconds <s>", "stop after S seconds")
    .action((nf: string, o: { json?: boolean; count?: string; seconds?: string }) =>
      guard(async () => {
        const { watch } = await import("../deploy/watch.js");
        let stop = false;
        const onInt = (): void => {
          stop = true;
        };
        process.on("SIGINT", onInt);
        process.on("SIGTERM", onInt);
        try {
          await watch(nf, {
            json: o.json === true,
            ...(o.count !== undefined ? { max: positive(o.count)! } : {}),
            ...(o.seconds !== undefined ? { seconds: positive(o.seconds)! } : {}),
            out: (line) => io.out(`${line}\n`),
            stopped: () => stop,
          });
        } finally {
          process.off("SIGINT", onInt);
          process.off("SIGTERM", onInt);
        }
      }),
    );
}
