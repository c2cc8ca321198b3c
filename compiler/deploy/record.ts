// What `nfc load` leaves for the other commands: one directory per NF under the run directory
// (default /run/nfc, tmpfs, gone at reboot like the bpffs pins; NFC_RUN_DIR overrides it) with
// the manifest of the loaded object and a record of what was created. The kernel objects
// themselves live under /sys/fs/bpf/nfc/<nf>/ (pins); the record only says where to look.
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { join, resolve } from "node:path";
import { fileStem } from "../names/files.js";
import { PIN_ROOT, type Manifest, type ManifestMap } from "../manifest.js";
import type { AttachKind } from "./kernel.js";
import { deployFail } from "./errors.js";

export interface Attachment {
  dev: string;
  /** "" for the host's namespace. */
  netns: string;
  kind: AttachKind;
  ifindex: number;
  /** The pinned bpf_link ("" for a clsact filter). */
  link_pin: string;
  link_id: number;
  /** clsact attachments: the filter (and whether nfc created the clsact qdisc). */
  tc?: { handle: number; priority: number; created: boolean };
}

export interface DeployRecord {
  nf: string;
  hook: Manifest["hook"];
  object: string;
  runtime: "bpf" | "kmod";
  /** Why this object (the loader probe's reason). */
  reason: string;
  schema_hash: string;
  prog_pin: string;
  prog_id: number;
  attachments: Attachment[];
  /** Configs set at load (`--set`), as given. */
  configs: Record<string, string>;
}

export function runDir(): string {
  return process.env.NFC_RUN_DIR ?? "/run/nfc";
}

export function pinDir(nf: string): string {
  return `${PIN_ROOT}/${fileStem(nf)}`; // bounded like the manifest's pin paths (compiler/names/files.ts)
}

/** The maps of the loaded object: its own entry in `objects` (auto builds), else the manifest's. */
export function objectMaps(m: Manifest, file: string): ManifestMap[] {
  return m.objects?.find((o) => o.file === file)?.maps ?? m.maps;
}

/** The loaded object's copy (reloaded by `nfc set`). */
export function recordObject(r: DeployRecord): string {
  return join(runDir(), r.nf, r.object);
}

export function recordExists(nf: string): boolean {
  return existsSync(join(runDir(), nf, "record.json"));
}

/** Writes the record and manifest; `object` (a path) is copied beside them for later reloads. */
export function writeRecord(r: DeployRecord, manifest: Manifest, object?: string): void {
  const dir = join(runDir(), r.nf);
  mkdirSync(dir, { recursive: true });
  if (object && resolve(object) !== resolve(dir, r.object)) copyFileSync(object, join(dir, r.object));
  writeFileSync(join(dir, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  writeFileSync(join(dir, "record.json"), `${JSON.stringify(r, null, 2)}\n`);
}

export function removeRecord(nf: string): void {
  rmSync(join(runDir(), nf), { recursive: true, force: true });
}

/** Every NF with a record. */
export function loadedNfs(): string[] {
  if (!existsSync(runDir())) return [];
  return readdirSync(runDir())
    .filter((n) => existsSync(join(runDir(), n, "record.json")))
    .sort();
}

/** The record and manifest of a loaded NF, or NF6001. */
export function readRecord(nf: string): { record: DeployRecord; manifest: Manifest; maps: ManifestMap[] } {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(nf) || !recordExists(nf))
    deployFail("NF6001", { nf, up: loadedNfs().join(", ") });
  const dir = join(runDir(), nf);
  const record = JSON.parse(readFileSync(join(dir, "record.json"), "utf8")) as DeployRecord;
  const manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")) as Manifest;
  return { record, manifest, maps: objectMaps(manifest, record.object) };
}

/** `unload --keep-maps`: the layouts of the maps left pinned, so that a later load can adopt them. */
export function writeKept(nf: string, maps: ManifestMap[]): void {
  const dir = join(runDir(), nf);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "kept.json"), `${JSON.stringify({ maps }, null, 2)}\n`);
}

/** The maps kept pinned by `unload --keep-maps` (undefined when none). */
export function readKept(nf: string): ManifestMap[] | undefined {
  const f = join(runDir(), nf, "kept.json");
  return existsSync(f) ? (JSON.parse(readFileSync(f, "utf8")) as { maps: ManifestMap[] }).maps : undefined;
}

export function removeKept(nf: string): void {
  rmSync(join(runDir(), nf, "kept.json"), { force: true });
}
