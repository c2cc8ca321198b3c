// `nfc table NF TABLE add --file rules.jsonl`: many entries at once. Every line is parsed first
// (JSON `{"key": …, "value": …}` or `[key, value]`, keys and values in the forms `nfc table add`
// takes, as strings, numbers, booleans or objects for structs); a bad line is NF6024 naming its
// number and nothing is written. The records then go to the runner as one binary file, written
// with BPF_MAP_UPDATE_BATCH (runner/batch.c). A table that fills up is NF6025: the lines before
// the failing one are in, the rest are not.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ManifestMap } from "../manifest.js";
import { parseLayout } from "./codec.js";
import { DeployError, deployFail } from "./errors.js";
import { loadedNf, withMaps } from "./maps.js";
import { tableMap } from "./tables.js";

export interface FileLoad {
  entries: number;
  lines: number;
  seconds: number;
  /** Of `seconds`: parsing the lines, and the kernel writes (the runner's batch command). */
  parseSeconds: number;
  kernelSeconds: number;
  batched: boolean;
  summary: string;
}

const asText = (v: unknown): string =>
  typeof v === "string" ? v : typeof v === "object" && v !== null ? JSON.stringify(v) : String(v);

/** Parses the JSON lines of `text` into records of key + value bytes, and each record's line. */
export function parseRules(
  m: ManifestMap,
  text: string,
  file: string,
): { records: Uint8Array; lines: number[] } {
  const rsz = m.key.size + m.value.size;
  const src = text.split("\n");
  const records = new Uint8Array(src.length * rsz);
  const lines: number[] = [];
  const key = new Uint8Array(m.key.size);
  const value = new Uint8Array(m.value.size);
  src.forEach((raw, i) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) return;
    const bad = (why: string): never =>
      deployFail("NF6024", { file, line: i + 1, why, text: line.slice(0, 80) });
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch {
      bad('not JSON; write {"key": KEY, "value": VALUE} or [KEY, VALUE]');
    }
    const [k, x] = Array.isArray(v)
      ? v
      : v && typeof v === "object" && "key" in v && "value" in v
        ? [(v as { key: unknown }).key, (v as { value: unknown }).value]
        : bad('expected {"key": KEY, "value": VALUE} or [KEY, VALUE]');
    try {
      const at = lines.length * rsz;
      records.set(parseLayout(m.key, asText(k), "key", key), at);
      records.set(parseLayout(m.value, asText(x), "value", value), at + m.key.size);
    } catch (e) {
      if (e instanceof DeployError)
        bad(`${e.diagnostic.message}${e.diagnostic.help ? ` (${e.diagnostic.help})` : ""}`);
      throw e;
    }
    lines.push(i + 1);
  });
  return { records: records.subarray(0, lines.length * rsz), lines };
}

export async function addFromFile(nf: string, table: string, file: string): Promise<FileLoad> {
  const loaded = loadedNf(nf, "table");
  const m = tableMap(nf, loaded.maps, table);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    return deployFail("NF6024", { file, line: 0, why: (e as Error).message, text: "" });
  }
  const t0 = process.hrtime.bigint();
  const { records, lines } = parseRules(m, text, file);
  const t1 = process.hrtime.bigint();
  const dir = mkdtempSync(join(tmpdir(), "nfc-batch-"));
  try {
    const bin = join(dir, "records.bin");
    writeFileSync(bin, records, { mode: 0o600 });
    return await withMaps(loaded, [m], async (k) => {
      const v = await k.send("version");
      if (!v.ok || typeof v.deploy !== "number" || v.deploy < 2)
        deployFail("NF6016", { runner: "build/nfc-runner" });
      const t2 = process.hrtime.bigint();
      const r = await k.send(`batch ${m.kernel_name} ${bin} any`);
      const kernelSeconds = Number(process.hrtime.bigint() - t2) / 1e9;
      const applied = Number(r.applied ?? 0);
      if (!r.ok) {
        const line = lines[applied] ?? 0;
        if (r.errno === 7 && m.kind === "array")
          deployFail("NF6024", {
            file,
            line,
            why: `index past the end of \`${m.name}\` (capacity ${m.max_entries})`,
            text: "",
          });
        if (r.errno === 7 || r.errno === 28)
          deployFail("NF6025", { table: m.name, capacity: m.max_entries, added: applied, file, line });
        deployFail("NF6015", { step: `adding line ${line} of ${file} to \`${m.name}\``, detail: r.error });
      }
      const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
      return {
        entries: applied,
        lines: lines.length,
        seconds,
        parseSeconds: Number(t1 - t0) / 1e9,
        kernelSeconds,
        batched: r.batched === true,
        summary: `${m.name}: added ${applied} entries from ${file} in ${seconds.toFixed(2)} s (${Math.round(applied / seconds)} entries/s${r.batched === true ? ", batched" : ""})`,
      };
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
