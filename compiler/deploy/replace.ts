// Replacing the program of a loaded NF while keeping its state: `nfc load` of an NF already up
// (upgrade) and `nfc set` (new config values = a reload with new .rodata). The new object reuses
// every pinned map whose layout is unchanged (bpf_map__reuse_fd before load); a map whose layout
// changed is refused (NF6020, naming the map and the difference) unless `--reset NAME`, which gives
// it a fresh map. Once the new program is verified, every link is switched with bpf_link_update
// (atomic: each packet runs the old or the new program, none is dropped by the switch), then the
// pins are swapped. Any failure before the switch changes nothing; a failure during it puts the
// links already switched back on the old program.
// Compatible changes migrate instead of NF6020 (`grows`): a key/value table (hash, lru, lpm, array)
// whose capacity grew, everything else equal. The new map is filled from the pinned one (runner
// `copy`, per-CPU values as they are) after the new program loads and before the links switch,
// then once more after the switch for keys the old program added meanwhile (noexist: the new
// program's own writes win). Updates the old program makes to existing keys between the copy and
// the switch are not carried over.
import { existsSync, mkdirSync, renameSync, rmdirSync, unlinkSync } from "node:fs";
import { basename, join } from "node:path";
import type { Manifest, ManifestMap } from "../manifest.js";
import { DeployError, deployFail } from "./errors.js";
import { DeployKernel } from "./kernel.js";
import { objectMaps, pinDir, writeRecord, type DeployRecord } from "./record.js";
import { switchOne } from "./tc.js";

export interface Replacement {
  /** Directory holding the new object. */
  dir: string;
  manifest: Manifest;
  pick: { file: string; runtime: "bpf" | "kmod"; reason: string };
  configs: Array<{ symbol: string; name: string; text: string; bytes: Uint8Array }>;
  /** Maps to recreate empty even though their layout changed. */
  reset: string[];
}

/** How two builds of one map differ (undefined: the same layout, the pinned map can be reused). */
export function mapDifference(a: ManifestMap, b: ManifestMap): string | undefined {
  if (a.map_type !== b.map_type) return `map type ${a.map_type} → ${b.map_type}`;
  const fields = (l: ManifestMap["key"]): string =>
    l.fields.map((f) => `${f.name}:${f.type}@${f.offset}`).join(",");
  if (JSON.stringify(a.key) !== JSON.stringify(b.key))
    return `key ${a.key.size} bytes (${fields(a.key)}) → ${b.key.size} bytes (${fields(b.key)})`;
  if (JSON.stringify(a.value) !== JSON.stringify(b.value))
    return `value ${a.value.size} bytes (${fields(a.value)}) → ${b.value.size} bytes (${fields(b.value)})`;
  if (a.max_entries !== b.max_entries) return `capacity ${a.max_entries} → ${b.max_entries}`;
  if (a.flags.join(",") !== b.flags.join(",")) return `flags [${a.flags.join(",")}] → [${b.flags.join(",")}]`;
  if (JSON.stringify(a.params) !== JSON.stringify(b.params))
    return `parameters ${JSON.stringify(a.params)} → ${JSON.stringify(b.params)}`;
  return undefined;
}

const GROWABLE = ["hash", "lru", "lpm", "array"];

/** A table whose only change is a larger capacity: its entries can be copied into the new map. */
export function grows(a: ManifestMap, b: ManifestMap): boolean {
  const same = (x: unknown, y: unknown): boolean => JSON.stringify(x) === JSON.stringify(y);
  const { capacity: ca, ...pa } = a.params;
  const { capacity: cb, ...pb } = b.params;
  return (
    a.family === "table" &&
    GROWABLE.includes(a.kind) &&
    a.kind === b.kind &&
    a.map_type === b.map_type &&
    same(a.key, b.key) &&
    same(a.value, b.value) &&
    same(a.flags, b.flags) &&
    same(pa, pb) &&
    Number(cb) >= Number(ca) &&
    b.max_entries >= a.max_entries
  );
}

export async function replaceNf(
  record: DeployRecord,
  oldMaps: ManifestMap[],
  r: Replacement,
  lines: string[],
): Promise<DeployRecord> {
  const nf = record.nf;
  if (r.manifest.hook !== record.hook) deployFail("NF6021", { nf, from: record.hook, to: r.manifest.hook });
  const newMaps = objectMaps(r.manifest, r.pick.file);
  for (const name of r.reset)
    if (!newMaps.some((m) => m.name === name))
      deployFail("NF6009", { nf, name, kinds: "map", known: newMaps.map((m) => m.name).join(", ") });
  const reuse: ManifestMap[] = [];
  const fresh: ManifestMap[] = [];
  const migrate: Array<{ from: ManifestMap; to: ManifestMap }> = [];
  for (const m of newMaps) {
    const old = oldMaps.find((o) => o.name === m.name);
    if (!old || !existsSync(old.pin_path)) {
      if (existsSync(m.pin_path))
        deployFail("NF6006", { map: m.name, path: m.pin_path, why: "not a map of the loaded NF" });
      fresh.push(m);
      continue;
    }
    const diff = mapDifference(old, m);
    if (diff === undefined) reuse.push(m);
    else if (r.reset.includes(m.name)) fresh.push(m);
    else if (grows(old, m)) {
      fresh.push(m);
      migrate.push({ from: old, to: m });
    } else deployFail("NF6020", { map: m.name, diff });
  }
  const dropped = oldMaps.filter((o) => !newMaps.some((m) => m.name === o.name));

  const k = await DeployKernel.start();
  const undo: Array<() => Promise<void> | void> = [];
  try {
    await k.runner.open(join(r.dir, r.pick.file));
    for (const c of r.configs) await k.runner.config(c.symbol, c.bytes);
    for (const m of reuse) await k.must(`reuse ${m.symbol} ${m.pin_path}`, `reusing map \`${m.name}\``);
    const loaded = await k.runner.load(r.pick.file);
    if (!loaded.ok) throw new DeployError(loaded.diagnostic);
    const prog = loaded.programs[0]!;
    const copy = async (mode: "any" | "noexist"): Promise<number[]> => {
      const n: number[] = [];
      for (const [i, { from, to }] of migrate.entries()) {
        await k.openPinned(`was${i}`, from.pin_path);
        const c = await k.must(`copy was${i} ${to.symbol} ${mode}`, `migrating \`${to.name}\``);
        n.push(c.copied as number);
      }
      return n;
    };
    const copied = await copy("any");

    // Staged pins: bpffs refuses names with a dot, so a sibling directory, renamed into place.
    const staging = `${pinDir(nf)}__staging`;
    mkdirSync(staging, { recursive: true });
    undo.push(() => rmdirSync(staging));
    const next = (p: string): string => `${staging}/${basename(p)}`;
    for (const m of fresh) {
      await k.pinMap(m.symbol, next(m.pin_path)); // the object knows its maps by C symbol
      undo.push(() => unlinkSync(next(m.pin_path)));
    }
    const progPin = `${pinDir(nf)}/prog`;
    await k.pinProgram(prog.name, next(progPin));
    undo.push(() => unlinkSync(next(progPin)));

    for (const a of record.attachments) {
      const u = await switchOne(k, a, prog.name);
      if (!u.ok)
        deployFail("NF6008", {
          dev: a.dev,
          detail: `${a.tc ? "tc filter replace" : "bpf_link_update"}: ${u.error}`,
        });
      undo.push(async () => void (await switchOne(k, a, record.prog_pin)));
    }
    // Committed: every link runs the new program. Late keys of the old one, then swap the pins.
    undo.length = 0;
    const late = migrate.length ? await copy("noexist").catch(() => [] as number[]) : []; // best effort
    for (const m of fresh) renameSync(next(m.pin_path), m.pin_path);
    for (const m of dropped) if (existsSync(m.pin_path)) unlinkSync(m.pin_path);
    renameSync(next(progPin), progPin);
    rmdirSync(staging);

    const ids = `program id ${record.prog_id} → ${prog.id}`;
    lines.push(
      `replaced ${ids} on ${record.attachments.map((a) => a.dev).join(", ")} (bpf_link_update, atomic)`,
    );
    lines.push(
      `kept ${reuse.length} maps with their state${reuse.length ? ` (${reuse.map((m) => m.name).join(", ")})` : ""}`,
    );
    migrate.forEach(({ from, to }, i) =>
      lines.push(
        `migrated ${to.name}: ${copied[i]! + (late[i] ?? 0)} entries into capacity ${to.max_entries} (was ${from.max_entries})`,
      ),
    );
    const created = fresh.filter((m) => !migrate.some((x) => x.to === m));
    if (created.length) lines.push(`new or reset maps: ${created.map((m) => m.name).join(", ")}`);
    if (dropped.length)
      lines.push(`removed maps no longer declared: ${dropped.map((m) => m.name).join(", ")}`);
    const next_: DeployRecord = {
      ...record,
      hook: r.manifest.hook,
      object: r.pick.file,
      runtime: r.pick.runtime,
      reason: r.pick.reason,
      schema_hash:
        r.manifest.objects?.find((x) => x.file === r.pick.file)?.schema_hash ?? r.manifest.schema_hash,
      prog_id: prog.id,
      configs: Object.fromEntries(r.configs.map((c) => [c.name, c.text])),
    };
    writeRecord(next_, r.manifest, join(r.dir, r.pick.file));
    return next_;
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
    await k.close();
  }
}
