// Reading a loaded NF's pinned maps (the read side shared by `nfc sketch`, `nfc queue`, `nfc
// status`, and `nfc watch`/`nfc metrics`): open the NF's record, then read a map as bytes by the
// manifest's layout. Per-CPU maps give one byte array per CPU ("shard"); array-backed structures
// (sketch cells, plug-in stores) come back as their entries concatenated in index order, which
// is the memory the interpreter's stores describe (KindStore.mapBytes / load).
import type { Manifest, ManifestMap } from "../manifest.js";
import { deployFail } from "./errors.js";
import { DeployKernel } from "./kernel.js";
import { requireRoot } from "./load.js";
import { readRecord, type DeployRecord } from "./record.js";

export interface LoadedNf {
  record: DeployRecord;
  manifest: Manifest;
  /** The loaded object's maps (kernel names, layouts, pin paths). */
  maps: ManifestMap[];
}

/** The loaded NF `nf` (NF6001 when unknown, NF6004 when not root). */
export function loadedNf(nf: string, command: string): LoadedNf {
  requireRoot(command);
  return readRecord(nf);
}

/** Runs `f` with a runner that has every map of `nf` open under its kernel name. */
export async function withMaps<T>(
  nf: LoadedNf,
  wanted: ManifestMap[],
  f: (k: DeployKernel) => Promise<T>,
): Promise<T> {
  const k = await DeployKernel.start();
  try {
    for (const m of wanted) await k.openPinned(m.kernel_name, m.pin_path);
    return await f(k);
  } finally {
    await k.close();
  }
}

const hexBytes = (h: string): Uint8Array => new Uint8Array(Buffer.from(h, "hex"));

/**
 * An array-backed map (opened with `openPinned`) as one byte array per shard: entries in index
 * order, concatenated. A shared map has one shard.
 */
export async function readShards(k: DeployKernel, m: ManifestMap): Promise<Uint8Array[]> {
  const r = await k.must(`dump ${m.kernel_name}`, `reading \`${m.name}\``);
  const entries = (r.entries as Array<{ key: string; value?: string; values?: string[] }>).map((e) => ({
    index: Buffer.from(e.key, "hex").readUInt32LE(0),
    shards: (e.values ?? [e.value!]).map(hexBytes),
  }));
  entries.sort((a, b) => a.index - b.index);
  const cpus = entries[0]?.shards.length ?? 1;
  const out: Uint8Array[] = [];
  for (let c = 0; c < cpus; c++) {
    const all = new Uint8Array(entries.length * m.value.size);
    entries.forEach((e, i) => all.set(e.shards[c]!.subarray(0, m.value.size), i * m.value.size));
    out.push(all);
  }
  return out;
}

/**
 * The maps of structure `name` (its own map first, then helpers such as nitro's `_samp`): a
 * sketch or queue. NF6009 when there is none, NF6019 when it is a table or an opaque (kmod) map.
 */
export function structureMaps(
  nf: LoadedNf,
  name: string,
  family: "sketch" | "queue",
  kinds: readonly string[],
): ManifestMap[] {
  const own = nf.maps.filter((m) => m.name === name || m.params.structure === name);
  const main = own.find((m) => m.name === name);
  if (!main || !kinds.includes(main.kind)) {
    const known = nf.maps.filter((m) => kinds.includes(m.kind) && m.name === (m.params.structure ?? m.name));
    if (main)
      deployFail("NF6019", {
        name,
        kind: `${main.family} (${main.kind})`,
        hint: `\`nfc ${family}\` reads ${kinds.join(", ")} structures`,
      });
    deployFail("NF6009", {
      nf: nf.record.nf,
      name,
      kinds: family,
      known: known.map((m) => m.name).join(", "),
    });
  }
  if (main.family === "opaque")
    deployFail("NF6019", {
      name,
      kind: `${main.kind} held by runtime-kmod`,
      hint: "its memory is kernel objects the control plane cannot read; load the pure object (`--runtime bpf`)",
    });
  if (!main.element)
    deployFail("NF6019", {
      name,
      kind: main.kind,
      hint: "its manifest predates element layouts; reload the NF with this nfc to query it",
    });
  return [main, ...own.filter((m) => m !== main)];
}
