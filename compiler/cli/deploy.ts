// Deploy and operate (compiler/deploy): load, unload, status, table, counters.
//   nfc load FILE.nf|OUTDIR --dev IFACE [--dev IFACE2] [--netns NS] [--set NAME=VALUE]... [--xdp-mode native|generic]
//            [--runtime auto|bpf|kmod] [--force] [--reset MAP]...   (an NF already up: upgrade keeping state)
//   nfc set NF NAME=VALUE...
//   nfc unload NF [--dev IFACE] [--keep-maps]
//   nfc status [NF] [--json]
//   nfc table NF TABLE add KEY VALUE | del KEY | get KEY | list | clear   [--json] [--per-cpu]
//   nfc table NF TABLE add --file rules.jsonl
//   nfc counters NF [--json] [--per-cpu]
//   nfc sketch NF NAME estimate KEY | contains KEY | top [N] | count [GROUP] | dump   [--json]
//   nfc sketch merge FILE.json... [--json] [-o OUT]
//   nfc queue NF NAME len | peek   [--json]
// Exit codes: 0 ok, 4 a deploy/operate error (NF60xx), 3 toolchain or kernel (NF5xxx), 1 errors in
// the program being built, 2 usage.
import { Option, type Command } from "commander";
import type { Diagnostic } from "../../lang/diagnostics/diagnostic.js";
import { renderHuman } from "../../lang/diagnostics/render.js";
import { DeployError } from "../deploy/errors.js";
import { KernelError } from "../kernel/runner.js";
import { examples } from "./help.js";

interface DeployIo {
  out: (s: string) => void;
  err: (s: string) => void;
}

export const EXIT_DEPLOY = 4;

const collect = (v: string, prev: string[] = []): string[] => [...prev, v];

function json(v: unknown): string {
  // 64-bit counters: a JSON number while exact, else a decimal string.
  const big = (x: unknown): unknown =>
    typeof x === "bigint" ? (x <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(x) : x.toString()) : x;
  return `${JSON.stringify(v, (_, x: unknown) => big(x), 2)}\n`;
}

export function registerDeploy(
  program: Command,
  io: DeployIo,
  setCode: (c: number) => void,
  exitCodeFor: (ds: Diagnostic[]) => number,
): void {
  const usage = (text: string): void => {
    io.err(`usage: ${text}\n`);
    setCode(2);
  };

  /** Runs an action; deploy and kernel errors become a rendered diagnostic and an exit code. */
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

  program
    .command("load")
    .addHelpText(
      "after",
      examples(
        "nfc load examples/heavy_hitter.nf --dev eth0 --set threshold=5000",
        "nfc load out/ --dev veth0 --netns lab --runtime bpf",
      ),
    )
    .description("build if needed, load, pin and attach an NF (root)")
    .argument("<input>", "a .nf source or an `nfc build` output directory")
    .option("--dev <iface>", "interface to attach to (repeatable)", collect, [])
    .option("--netns <ns>", "network namespace of the interfaces (ip netns name or a path)")
    .option("--set <name=value>", "config value (repeatable)", collect, [])
    .addOption(
      new Option("--xdp-mode <mode>", "XDP attach mode (default: the driver's best)").choices([
        "native",
        "generic",
      ]),
    )
    .addOption(
      new Option(
        "--tc-mode <mode>",
        "TC hooks: tcx, clsact (qdisc + bpf filter), or tcx falling back to clsact",
      )
        .choices(["auto", "tcx", "clsact"])
        .default("auto"),
    )
    .addOption(
      new Option(
        "--runtime <runtime>",
        "object to load: auto picks kmod only when nfc_runtime with a matching ABI is loaded",
      )
        .choices(["auto", "bpf", "kmod"])
        .default("auto"),
    )
    .option("--force", "replace an XDP program already on the interface")
    .option(
      "--reset <map>",
      "upgrade: recreate this map empty although its layout changed (repeatable)",
      collect,
      [],
    )
    .action(
      (
        input: string,
        o: {
          dev: string[];
          netns?: string;
          set: string[];
          xdpMode?: "native" | "generic";
          tcMode: "auto" | "tcx" | "clsact";
          runtime: "auto" | "bpf" | "kmod";
          force?: boolean;
          reset: string[];
        },
      ) =>
        guard(async () => {
          const { loadNf } = await import("../deploy/load.js");
          const r = await loadNf(input, {
            devs: o.dev,
            netns: o.netns,
            set: o.set,
            xdpMode: o.xdpMode,
            tcMode: o.tcMode,
            runtime: o.runtime,
            force: o.force,
            reset: o.reset,
          });
          for (const l of r.lines) io.out(`${l}\n`);
          io.out(`${r.record.nf} is up\n`);
        }),
    );

  program
    .command("set")
    .description("change config values of a running NF, keeping its state (root)")
    .argument("<nf>", "the NF's name")
    .argument("<settings...>", "NAME=VALUE")
    .action((nf: string, settings: string[]) =>
      guard(async () => {
        const { setConfig } = await import("../deploy/set.js");
        for (const l of await setConfig(nf, settings)) io.out(`${l}\n`);
      }),
    );

  program
    .command("unload")
    .addHelpText(
      "after",
      examples("nfc unload heavy_hitter", "nfc unload heavy_hitter --dev eth0 --keep-maps"),
    )
    .description("detach an NF and remove its pins and maps (root)")
    .argument("<nf>", "the NF's name")
    .option("--dev <iface>", "detach from this interface only")
    .option("--keep-maps", "leave the maps pinned (state survives for a later load)")
    .action((nf: string, o: { dev?: string; keepMaps?: boolean }) =>
      guard(async () => {
        const { unloadNf } = await import("../deploy/ops.js");
        for (const l of await unloadNf(nf, o)) io.out(`${l}\n`);
      }),
    );

  program
    .command("status")
    .addHelpText("after", examples("nfc status", "nfc status heavy_hitter --json"))
    .description("NFs up: interfaces, hook, program, runtime, maps, counters (root)")
    .argument("[nf]", "one NF (default: all)")
    .option("--json", "JSON output")
    .action((nf: string | undefined, o: { json?: boolean }) =>
      guard(async () => {
        const { status, formatStatus } = await import("../deploy/ops.js");
        const s = await status(nf);
        io.out(o.json ? json(s) : formatStatus(s));
      }),
    );

  program
    .command("table")
    .addHelpText(
      "after",
      examples(
        "nfc table heavy_hitter blocked list",
        "nfc table firewall deny4 add 10.0.0.0/8 3",
        "nfc table heavy_hitter blocked del 10.0.0.1",
      ),
    )
    .description(
      "read and write a loaded NF's table by type: add KEY VALUE | del KEY | get KEY | list | clear (root)",
    )
    .argument("<nf>", "the NF's name")
    .argument("<table>", "the table's name")
    .argument("<op>", "add, del, get, list or clear")
    .argument("[args...]", "KEY [VALUE]")
    .option("--json", "JSON output")
    .option("--per-cpu", "per-CPU values instead of their sum")
    .option(
      "--file <rules.jsonl>",
      'add: one entry per line, {"key": KEY, "value": VALUE} or [KEY, VALUE] (batched)',
    )
    .action(
      (
        nf: string,
        table: string,
        op: string,
        args: string[],
        o: { json?: boolean; perCpu?: boolean; file?: string },
      ) =>
        guard(async () => {
          if (o.file !== undefined) {
            if (op !== "add" || args.length !== 0) return usage("nfc table NF TABLE add --file rules.jsonl");
            const { addFromFile } = await import("../deploy/table-file.js");
            const r = await addFromFile(nf, table, o.file);
            io.out(
              o.json
                ? json({
                    ok: true,
                    entries: r.entries,
                    seconds: r.seconds,
                    parse_seconds: r.parseSeconds,
                    kernel_seconds: r.kernelSeconds,
                    batched: r.batched,
                  })
                : `${r.summary}\n`,
            );
            return;
          }
          const { tableOp } = await import("../deploy/tables.js");
          const want = { add: 2, del: 1, get: 1, list: 0, clear: 0 }[op];
          if (want === undefined || args.length !== want) {
            io.err(`nfc table: usage: nfc table NF TABLE add KEY VALUE | del KEY | get KEY | list | clear\n`);
            setCode(2);
            return;
          }
          const parsed =
            op === "add"
              ? { op, key: args[0]!, value: args[1]! }
              : op === "del" || op === "get"
                ? { op, key: args[0]! }
                : { op };
          const r = await tableOp(nf, table, parsed as Parameters<typeof tableOp>[2], { perCpu: o.perCpu });
          if (o.json)
            io.out(
              json(
                op === "get" || op === "list" ? r.rows.map((x) => x.json) : { ok: true, summary: r.summary },
              ),
            );
          else if (op === "get" || op === "list") {
            for (const x of r.rows)
              io.out(`${x.key} ${x.perCpu ? x.perCpu.map((v, i) => `cpu${i}: ${v}`).join("  ") : x.value}\n`);
            if (op === "list") io.out(`${r.summary}\n`);
          } else io.out(`${r.summary}\n`);
        }),
    );

  program
    .command("sketch")
    .addHelpText(
      "after",
      examples(
        "nfc sketch heavy_hitter flows estimate 'udp 10.0.0.1:53 -> 10.0.0.2:1234'",
        "nfc sketch ddos sources count 7",
        "nfc sketch hh flows dump --json > a.json && nfc sketch merge a.json b.json --json",
      ),
    )
    .description(
      "query a loaded NF's sketch, shards merged: estimate KEY | contains KEY | top [N] | count [GROUP] | dump; or merge dumps (root)",
    )
    .argument("<nf>", "the NF's name, or `merge`")
    .argument("[args...]", "NAME QUERY [ARG], or the dump files to merge")
    .option("--json", "JSON output")
    .option("-o, --output <file>", "merge: write the merged dump here")
    .action((nf: string, args: string[], o: { json?: boolean; output?: string }) =>
      guard(async () => {
        const sk = await import("../deploy/sketch.js");
        if (nf === "merge") {
          if (args.length < 1) return usage("nfc sketch merge FILE.json...");
          const img = sk.mergeFiles(args);
          if (o.output) (await import("node:fs")).writeFileSync(o.output, `${JSON.stringify(img)}\n`);
          io.out(o.json ? `${JSON.stringify(img)}\n` : sk.describeImage(img));
          return;
        }
        const [name, op, arg] = args;
        const q = sketchQuery(op, arg, args.length);
        if (!name || !q)
          return usage("nfc sketch NF NAME estimate KEY | contains KEY | top [N] | count [GROUP] | dump");
        const a = sk.answer(await sk.readSketch(nf, name), q);
        io.out(o.json && q.op !== "dump" ? json(a.json) : a.text);
      }),
    );

  program
    .command("queue")
    .addHelpText(
      "after",
      examples("nfc queue scheduler pending len", "nfc queue scheduler pending peek --json"),
    )
    .description(
      "a loaded NF's queue: len | peek (the element the next pop returns), per CPU for per-CPU queues (root)",
    )
    .argument("<nf>", "the NF's name")
    .argument("<name>", "the queue's name")
    .argument("<op>", "len or peek")
    .option("--json", "JSON output")
    .action((nf: string, name: string, op: string, o: { json?: boolean }) =>
      guard(async () => {
        if (op !== "len" && op !== "peek") return usage("nfc queue NF NAME len | peek");
        const { queueOp, formatQueue } = await import("../deploy/queue.js");
        const a = await queueOp(nf, name, op);
        io.out(o.json ? json(a.shards) : formatQueue(name, op, a));
      }),
    );

  program
    .command("counters")
    .addHelpText("after", examples("nfc counters heavy_hitter", "nfc counters heavy_hitter --per-cpu --json"))
    .description("a loaded NF's counters, summed across CPUs (root)")
    .argument("<nf>", "the NF's name")
    .option("--json", "JSON output")
    .option("--per-cpu", "per-CPU values too")
    .action((nf: string, o: { json?: boolean; perCpu?: boolean }) =>
      guard(async () => {
        const { counters } = await import("../deploy/tables.js");
        const cs = await counters(nf);
        if (o.json)
          io.out(
            json(
              Object.fromEntries(
                cs.map((c) => [c.name, o.perCpu ? { total: c.total, per_cpu: c.perCpu } : c.total]),
              ),
            ),
          );
        else
          for (const c of cs)
            io.out(
              `${c.name} ${c.total}${o.perCpu ? `  (${c.perCpu.map((v, i) => `cpu${i}: ${v}`).join(", ")})` : ""}\n`,
            );
      }),
    );
}

type SketchQueryArg = import("../deploy/sketch.js").SketchQuery;

/** The query of `nfc sketch NF NAME OP [ARG]`, or undefined for a usage error. */
function sketchQuery(
  op: string | undefined,
  arg: string | undefined,
  argc: number,
): SketchQueryArg | undefined {
  if ((op === "estimate" || op === "contains") && argc === 3) return { op, key: arg! };
  if (op === "count" && argc <= 3) return { op, group: arg };
  if (op === "top" && argc <= 3 && (arg === undefined || /^\d+$/.test(arg)))
    return { op, n: arg === undefined ? undefined : Number(arg) };
  if (op === "dump" && argc === 2) return { op };
  return undefined;
}
