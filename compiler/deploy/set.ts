// `nfc set NF NAME=VALUE...`: new config values on a running NF without losing state.
// Design: configs stay `const volatile` .rodata (the verifier sees them as constants: dead branches
// pruned, loop bounds and shifts proven, no per-packet map lookup), so a new value is a reload of the
// same object with new .rodata, every map reused and every link switched with bpf_link_update
// (replace.ts). The verifier checks the program again with the new value before anything changes;
// the cost is one load (tens of ms) per change, which a config change can afford.
import { configBytes, requireRoot } from "./load.js";
import { deployFail } from "./errors.js";
import { readRecord, recordObject } from "./record.js";
import { replaceNf } from "./replace.js";
import { dirname } from "node:path";

export async function setConfig(nf: string, settings: string[]): Promise<string[]> {
  requireRoot("set");
  const { record, manifest, maps } = readRecord(nf);
  if (settings.length === 0)
    deployFail("NF6018", {
      name: "",
      known: manifest.configs.map((c) => `${c.name}: ${c.type}`).join(", "),
      why: "give at least one NAME=VALUE",
    });
  const names = new Set(settings.map((s) => s.split("=")[0]));
  const kept = Object.entries(record.configs).filter(([n]) => !names.has(n));
  const configs = configBytes(manifest, [...kept.map(([n, v]) => `${n}=${v}`), ...settings]);
  const lines: string[] = [];
  const object = recordObject(record);
  await replaceNf(
    record,
    maps,
    {
      dir: dirname(object),
      manifest,
      pick: { file: record.object, runtime: record.runtime, reason: record.reason },
      configs,
      reset: [],
    },
    lines,
  );
  const was = (n: string): string =>
    record.configs[n] ?? String(manifest.configs.find((c) => c.name === n)?.default ?? "?");
  return [`${nf}: ${settings.map((s) => `${s} (was ${was(s.split("=")[0]!)})`).join(", ")}`, ...lines];
}
