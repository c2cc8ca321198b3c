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

  program
    .command("metrics")
    .addHelpText(
      "after",
      examples(
        "nfc metrics --listen 127.0.0.1:9101",
        "nfc metrics heavy_hitter --listen 0.0.0.0:9101 --export topk_report:talkers --export heavy_hitter:flows:'udp 10.0.0.1:53 -> 10.0.0.2:1234'",
      ),
    )
    .description(
      "Prometheus exposition of loaded NFs at http://ADDR:PORT/metrics, read at every scrape (root)",
    )
    .argument("[nf...]", "NFs to export (default: every loaded NF)")
    .requiredOption("--listen <addr:port>", "address to serve on, e.g. 127.0.0.1:9101")
    .option(
      "--export <nf:sketch[:keys]>",
      "export a sketch beyond the NF's own `export` arguments (or replace their keys): top-k entries, hll groups, count-min estimates of keys (repeatable)",
      (v: string, prev: string[] = []) => [...prev, v],
      [],
    )
    .option("--seconds <s>", "stop after S seconds (default: until SIGINT/SIGTERM)")
    .action((nfs: string[], o: { listen: string; export: string[]; seconds?: string }) =>
      guard(async () => {
        const { serveMetrics, parseExport } = await import("../metrics/server.js");
        const exports = o.export.map((x) => parseExport(x));
        if (exports.some((x) => x === undefined)) {
          io.err("usage: --export NF:SKETCH or NF:SKETCH:KEY,KEY\n");
          setCode(2);
          return;
        }
        const srv = await serveMetrics(o.listen, nfs, exports as NonNullable<(typeof exports)[number]>[]);
        io.out(`serving ${srv.url}\n`);
        await new Promise<void>((resolve) => {
          const done = (): void => resolve();
          process.once("SIGINT", done);
          process.once("SIGTERM", done);
          if (o.seconds !== undefined) setTimeout(done, (positive(o.seconds) ?? 0) * 1000);
        });
        await srv.close();
      }),
    );
}
