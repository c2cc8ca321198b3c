// Shared tables (`table t: hash<K, V>(capacity = N, shared)`, docs/LANGUAGE.md "Shared tables"): one
// map pinned at /sys/fs/bpf/nfc/shared/<name> for every NF that declares `t` shared. The first load
// creates and pins it and records its layout in <run dir>/shared/<name>.json; a later load of any
// NF reuses the pin when its own declaration has the same layout (key, value, capacity, map type,
// flags, parameters: replace.ts mapDifference), and is refused with NF6070 naming the difference
// otherwise. Unload removes the pin only when no other loaded NF declares the map.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { ManifestMap } from "../manifest.js";
import { deployFail } from "./errors.js";
import { loadedNfs, readRecord, runDir } from "./record.js";
import { mapDifference } from "./replace.js";

export const isShared = (m: ManifestMap): boolean => m.params.shared === true;

const recordPath = (m: ManifestMap): string =>
  join(runDir(), "shared", `${m.pin_path.split("/").pop()}.json`);

/** Before a load: "reuse" when the shared pin exists with the same layout, "create" when absent. */
export function sharedPlan(m: ManifestMap): "reuse" | "create" {
  if (!existsSync(m.pin_path)) return "create";
  const path = recordPath(m);
  if (!existsSync(path))
    deployFail("NF6006", { map: m.name, path: m.pin_path, why: "a shared map with no record of its layout" });
  const old = JSON.parse(readFileSync(path, "utf8")) as ManifestMap;
  const diff = mapDifference(old, m);
  if (diff !== undefined) deployFail("NF6070", { map: m.name, diff, path: m.pin_path });
  return "reuse";
}

/** After pinning a new shared map: its layout, for the next NF that declares it. */
export function recordShared(m: ManifestMap): () => void {
  const path = recordPath(m);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify(m, null, 2) + "\n");
  return () => rmSync(path, { force: true });
}

/** The directory a shared pin goes to, created when missing (its undo, or undefined). */
export function sharedDir(m: ManifestMap): string {
  const dir = dirname(m.pin_path);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** At unload of `nf`: true when another loaded NF still declares this shared map. */
export function sharedInUse(m: ManifestMap, nf: string): boolean {
  return loadedNfs()
    .filter((n) => n !== nf)
    .some((n) => readRecord(n).maps.some((x) => isShared(x) && x.pin_path === m.pin_path));
}

/** At unload, when the last user leaves: the layout record goes with the pin. */
export function forgetShared(m: ManifestMap): void {
  rmSync(recordPath(m), { force: true });
  const dir = dirname(m.pin_path);
  if (existsSync(dir) && readdirSync(dir).length === 0) rmdirSync(dir);
}
