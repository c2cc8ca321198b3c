// `nfc load`: build (for a source), pick the object (runtime probe), load it with libbpf through
// the runner, pin every map at its manifest pin_path and the program under /sys/fs/bpf/nfc/<nf>/,
// attach one bpf_link per interface (XDP, or tcx for TC hooks) inside the given namespace and pin
// it there too, then write the record. Every step that creates something registers its undo; any
// failure runs the undos in reverse, so a failed load leaves nothing behind. An NF that is up is
// upgraded in place instead (replace.ts).
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmdirSync,
  rmSync,
  statSync,
  unlinkSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { probeRuntime, selectObject } from "../loader/probe.js";
import type { Manifest, ManifestMap } from "../manifest.js";
import { parseLayout } from "./codec.js";
import { DeployError, deployFail } from "./errors.js";
import { isShared, recordShared, sharedDir, sharedPlan } from "./shared.js";
import { DeployKernel } from "./kernel.js";
import { attachKind, attachOne, type TcMode } from "./tc.js";
import {
  objectMaps,
  pinDir,
  readKept,
  readRecord,
  recordExists,
  removeKept,
  writeRecord,
  type Attachment,
  type DeployRecord,
} from "./record.js";
import { mapDifference } from "./replace.js";

export interface LoadOptions {
  devs: string[];
  netns?: string;
  /** NAME=VALUE config settings. */
  set?: string[];
  xdpMode?: "native" | "generic";
  /** TC hooks: tcx, clsact, or tcx with a clsact fallback (auto, the default). */
  tcMode?: TcMode;
  runtime?: "auto" | "bpf" | "kmod";
  force?: boolean;
  /** Upgrade only: maps to recreate empty although their layout changed. */
  reset?: string[];
}

export interface LoadReport {
  record: DeployRecord;
  /** What was done, one line each, for the user. */
  lines: string[];
}

export function requireRoot(command: string): void {
  if (process.getuid?.() !== 0) deployFail("NF6004", { command });
}

/** The build directory for `input`: built into a temporary directory for a .nf source. */
async function inputDir(input: string, lines: string[]): Promise<{ dir: string; temp: boolean }> {
  if (!existsSync(input)) deployFail("NF6017", { path: input, why: "no such file or directory" });
  if (statSync(input).isDirectory()) return { dir: input, temp: false };
  if (!input.endsWith(".nf"))
    deployFail("NF6017", { path: input, why: "neither a .nf source nor a build directory" });
  const dir = mkdtempSync(join(tmpdir(), "nfc-load-"));
  const { compile } = await import("../compile.js");
  const r = await compile(
    { file: input, source: readFileSync(input, "utf8") },
    { outDir: dir, runtime: "auto" },
  );
  const errors = r.diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new DeployError(errors[0]!);
  }
  lines.push(`built ${basename(input)} (${(r.written ?? []).map((p) => basename(p)).join(", ")})`);
  return { dir, temp: true };
}

function readManifest(dir: string): Manifest {
  const found = readdirSync(dir).filter((f) => f.endsWith(".manifest.json"));
  if (found.length !== 1)
    deployFail("NF6017", {
      path: dir,
      why:
        found.length === 0
          ? "it holds no <nf>.manifest.json"
          : `it holds ${found.length} manifests: ${found.join(", ")}`,
    });
  return JSON.parse(readFileSync(join(dir, found[0]!), "utf8")) as Manifest;
}

export function pickObject(
  m: Manifest,
  runtime: LoadOptions["runtime"],
): { file: string; runtime: "bpf" | "kmod"; reason: string } {
  const objects = m.objects ?? [
    {
      file: `${m.nf}.${m.runtime === "kmod" ? "kmod." : ""}bpf.o`,
      runtime: m.runtime,
      requires_abi: m.requires_abi,
    },
  ];
  if (runtime === "bpf") {
    const pure = objects.find((o) => o.runtime === "bpf");
    if (!pure)
      deployFail("NF6017", { path: m.nf, why: "no pure BPF object was built (built with --runtime kmod)" });
    return { file: pure.file, runtime: "bpf", reason: "--runtime bpf" };
  }
  if (runtime === "kmod") {
    const kmod = objects.find((o) => o.runtime === "kmod");
    if (!kmod)
      deployFail("NF6007", {
        file: `${m.nf}.kmod.bpf.o`,
        reason: "no kmod object was built (no operation chose kmod)",
      });
    const p = probeRuntime(kmod.requires_abi ?? 0);
    if (p.runtime !== "kmod") deployFail("NF6007", { file: kmod.file, reason: p.reason });
    return { file: kmod.file, runtime: "kmod", reason: p.reason };
  }
  const s = selectObject(m);
  if (s.runtime === "kmod" && !objects.some((o) => o.runtime === "bpf") && !s.message.startsWith("loaded"))
    deployFail("NF6007", { file: s.file, reason: s.reason });
  return { file: s.file, runtime: s.runtime, reason: s.reason };
}

function netnsPath(ns: string): string {
  return ns.startsWith("/") ? ns : `/var/run/netns/${ns}`;
}

/** Config bytes for each `NAME=VALUE` (NF6018 for an unknown name, NF6010/NF6011 for the value). */
export function configBytes(
  m: Manifest,
  settings: string[],
): Array<{ symbol: string; bytes: Uint8Array; name: string; text: string }> {
  const known = m.configs.map((c) => `${c.name}: ${c.type}`).join(", ");
  return settings.map((s) => {
    const i = s.indexOf("=");
    if (i <= 0) deployFail("NF6018", { name: s, known, why: "expected NAME=VALUE" });
    const name = s.slice(0, i);
    const c = m.configs.find((x) => x.name === name);
    if (!c) deployFail("NF6018", { name, known, why: `\`${m.nf}\` has no config \`${name}\`` });
    const layout = {
      size: c.size,
      ctype: "",
      fields: [{ name, offset: 0, size: c.size, type: c.type, order: "host" as const }],
    };
    return {
      symbol: c.symbol,
      name,
      text: s.slice(i + 1),
      bytes: parseLayout(layout, s.slice(i + 1), `config \`${name}\``),
    };
  });
}

/** `nfc load` of an NF that is up: the same interfaces, the program replaced keeping state. */
async function upgrade(
  nf: string,
  dir: string,
  manifest: Manifest,
  pick: ReturnType<typeof pickObject>,
  o: LoadOptions,
  lines: string[],
): Promise<DeployRecord> {
  const { record, maps } = readRecord(nf);
  const devs = record.attachments.map((a) => a.dev);
  if (
    o.devs.length !== devs.length ||
    o.devs.some((d) => !devs.includes(d)) ||
    (o.netns ?? "") !== (record.attachments[0]?.netns ?? "")
  )
    deployFail("NF6014", {
      nf,
      devs: record.attachments.map((a) => `${a.dev}${a.netns ? ` (netns ${a.netns})` : ""}`).join(", "),
    });
  // Configs keep their values unless set again (and are dropped when the new build lacks them).
  const kept = Object.entries(record.configs).filter(
    ([n]) => manifest.configs.some((c) => c.name === n) && !(o.set ?? []).some((s) => s.startsWith(`${n}=`)),
  );
  const configs = configBytes(manifest, [...kept.map(([n, v]) => `${n}=${v}`), ...(o.set ?? [])]);
  const { replaceNf } = await import("./replace.js");
  return replaceNf(record, maps, { dir, manifest, pick, configs, reset: o.reset ?? [] }, lines);
}

export async function loadNf(input: string, o: LoadOptions): Promise<LoadReport> {
  requireRoot("load");
  if (o.devs.length === 0) deployFail("NF6002", { dev: "(none: give --dev IFACE)", netns: o.netns ?? "" });
  if (o.netns !== undefined && !existsSync(netnsPath(o.netns))) deployFail("NF6003", { netns: o.netns });
  const lines: string[] = [];
  const built = await inputDir(input, lines);
  const undo: Array<() => void | Promise<void>> = [];
  let k: DeployKernel | undefined;
  try {
    const manifest = readManifest(built.dir);
    const nf = manifest.nf;
    const pick = pickObject(manifest, o.runtime ?? "auto");
    const label = pick.runtime === "kmod" ? "kmod kfuncs" : "pure BPF";
    lines.push(`object ${pick.file} (${label}): ${pick.reason}`);
    if (recordExists(nf)) return { record: await upgrade(nf, built.dir, manifest, pick, o, lines), lines };
    const maps = objectMaps(manifest, pick.file);
    const configs = configBytes(manifest, o.set ?? []);
    // Pins left by `unload --keep-maps` are adopted when their layout is unchanged; any other pin in
    // the way is refused.
    const kept = readKept(nf);
    const adopt: ManifestMap[] = [];
    const reset: ManifestMap[] = [];
    for (const m of maps) {
      // a shared table: reused when another NF pinned it with the same layout (shared.ts)
      if (isShared(m)) {
        if (sharedPlan(m) === "reuse") adopt.push(m);
        continue;
      }
      if (!existsSync(m.pin_path)) continue;
      const old = kept?.find((x) => x.name === m.name);
      if (!old)
        deployFail("NF6006", { map: m.name, path: m.pin_path, why: "left by another load or another NF" });
      const diff = mapDifference(old, m);
      if (diff === undefined) adopt.push(m);
      else if (o.reset?.includes(m.name)) reset.push(m);
      else deployFail("NF6020", { map: m.name, diff });
    }
    const kind = attachKind(manifest.hook, o.xdpMode, o.tcMode);
    const ns = o.netns ?? "-";

    k = await DeployKernel.start();
    for (const dev of o.devs) {
      const q = await k.send(`xdpquery ${dev} ${ns}`);
      if (!q.ok) {
        if (q.errno === 19) deployFail("NF6002", { dev, netns: o.netns ?? "" });
        deployFail("NF6015", { step: `looking up \`${dev}\``, detail: q.error });
      }
      if (kind.startsWith("xdp") && (q.prog_id as number) !== 0) {
        if (!o.force) deployFail("NF6005", { dev, progId: q.prog_id as number });
        const d = await k.send(`xdpdetach ${dev} ${ns}`);
        if (!d.ok)
          deployFail("NF6008", {
            dev,
            detail: `--force could not detach program ${String(q.prog_id)}: ${d.error}`,
          });
        lines.push(`detached XDP program id ${String(q.prog_id)} from ${dev} (--force)`);
      }
    }

    await k.runner.open(join(built.dir, pick.file));
    for (const c of configs) await k.runner.config(c.symbol, c.bytes);
    for (const m of adopt) await k.must(`reuse ${m.symbol} ${m.pin_path}`, `reusing map \`${m.name}\``);
    const loaded = await k.runner.load(pick.file);
    if (!loaded.ok) throw new DeployError(loaded.diagnostic);
    const prog = loaded.programs[0]!;
    lines.push(`loaded ${prog.name} (${prog.type}, id ${prog.id}, ${prog.xlated_insns} insns)`);

    const dir = pinDir(nf);
    if (!existsSync(dir)) {
      mkdirSync(dir, { recursive: true });
      undo.push(() => rmdirSync(dir));
    }
    for (const m of maps) {
      if (adopt.includes(m)) continue;
      if (reset.includes(m)) unlinkSync(m.pin_path); // --reset: the kept state is dropped
      if (isShared(m)) sharedDir(m);
      await k.pinMap(m.symbol, m.pin_path); // libbpf knows the object's maps by their C symbol
      undo.push(() => unlinkSync(m.pin_path));
      if (isShared(m)) undo.push(recordShared(m));
    }
    const pinned = maps.filter((m) => !adopt.includes(m));
    if (pinned.length)
      lines.push(`pinned ${pinned.length} maps under ${dir}/ (${pinned.map((m) => m.name).join(", ")})`);
    const shared = adopt.filter(isShared);
    const keptMaps = adopt.filter((m) => !isShared(m));
    if (shared.length)
      lines.push(
        `shares ${shared.length} maps with loaded NFs (${shared.map((m) => `${m.name} at ${m.pin_path}`).join(", ")})`,
      );
    if (keptMaps.length)
      lines.push(
        `adopted ${keptMaps.length} maps kept by \`unload --keep-maps\`, with their state (${keptMaps.map((m) => m.name).join(", ")})`,
      );
    const progPin = `${dir}/prog`;
    await k.pinProgram(prog.name, progPin);
    undo.push(() => unlinkSync(progPin));

    const attachments: Attachment[] = [];
    for (const dev of o.devs) {
      const linkPin = `${dir}/link_${o.netns ? `${basename(o.netns)}_` : ""}${dev}`;
      const a = await attachOne(k, prog.name, kind, dev, o.netns ?? "", linkPin, o.tcMode ?? "auto");
      undo.push(a.undo);
      attachments.push(a.attachment);
      lines.push(a.line);
    }
    const record: DeployRecord = {
      nf,
      hook: manifest.hook,
      object: pick.file,
      runtime: pick.runtime,
      reason: pick.reason,
      schema_hash: manifest.objects?.find((x) => x.file === pick.file)?.schema_hash ?? manifest.schema_hash,
      prog_pin: progPin,
      prog_id: prog.id,
      attachments,
      configs: Object.fromEntries(configs.map((c) => [c.name, c.text])),
    };
    writeRecord(record, manifest, join(built.dir, pick.file));
    for (const m of kept ?? [])
      if (!maps.some((x) => x.name === m.name) && existsSync(m.pin_path)) unlinkSync(m.pin_path);
    removeKept(nf);
    return { record, lines };
  } catch (e) {
    for (const u of undo.reverse()) {
      try {
        await u();
      } catch {
        // already gone
      }
    }
    throw e;
  } finally {
    await k?.close();
    if (built.temp) rmSync(built.dir, { recursive: true, force: true });
  }
}
