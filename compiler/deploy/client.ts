// The control plane from TypeScript (exported by compiler/api.ts):
//   const fw = await load("firewall.nf", { dev: "eth0" });
//   await fw.tables.deny4.add("10.0.0.0/8", 7);
//   await fw.counters();            // { allowed: 12n, denied: 3n, not_ip: 0n }
// `open(nf)` attaches a handle to an NF already up. Every call does what the matching `nfc`
// command does (same modules, same coded DeployError on failure); keys and values take the
// command line's text forms, numbers, bigints, booleans, or objects for structs. Handles list the
// NF's tables, sketches and queues by name from the manifest kept at load. `nfc build --emit
// client` (client-gen.ts) writes a typed wrapper of this per NF.
import { loadNf } from "./load.js";
import { status, unloadNf, type NfStatus } from "./ops.js";
import { QUEUE_KINDS, queueOp, type QueueAnswer } from "./queue.js";
import { readRecord } from "./record.js";
import { setConfig } from "./set.js";
import { answer, readSketch, type SketchQuery } from "./sketch.js";
import { SKETCH_KINDS, type SketchImage } from "./sketch-image.js";
import { addFromFile, type FileLoad } from "./table-file.js";
import { counters, tableOp } from "./tables.js";

export type Scalar = string | number | bigint | boolean;
/** A key or value: text as `nfc table` takes it, a number, or an object of fields (structs). */
export type Input = Scalar | Record<string, Scalar>;

export interface Entry<K = unknown, V = unknown> {
  key: K;
  value: V;
}

export interface TableHandle<
  K extends Input = Input,
  V extends Input = Input,
  KOut = unknown,
  VOut = unknown,
> {
  add(key: K, value: V): Promise<void>;
  /** Fails (NF6013) when the key is absent. */
  del(key: K): Promise<void>;
  /** The value (per-CPU values summed), or undefined when absent. */
  get(key: K): Promise<VOut | undefined>;
  list(): Promise<Entry<KOut, VOut>[]>;
  clear(): Promise<number>;
  /** Batched load of a rules.jsonl file (`nfc table … add --file`). */
  addFile(file: string): Promise<FileLoad>;
}

export interface SketchHandle<K extends Input = Input> {
  estimate(key: K): Promise<number>;
  contains(key: K): Promise<boolean>;
  top(n?: number): Promise<Array<{ key: unknown; count: number }>>;
  count(group?: number): Promise<number>;
  dump(): Promise<SketchImage>;
}

export interface QueueHandle {
  len(): Promise<number>;
  peek(): Promise<QueueAnswer["shards"]>;
}

export interface NfHandle {
  readonly name: string;
  readonly tables: Record<string, TableHandle>;
  readonly sketches: Record<string, SketchHandle>;
  readonly queues: Record<string, QueueHandle>;
  /** Counters summed across CPUs. */
  counters(): Promise<Record<string, bigint>>;
  status(): Promise<NfStatus>;
  /** `nfc set`: new config values, state kept. */
  set(values: Record<string, Scalar>): Promise<void>;
  unload(o?: { dev?: string; keepMaps?: boolean }): Promise<void>;
}

export interface ClientLoadOptions {
  dev: string | string[];
  netns?: string;
  set?: Record<string, Scalar>;
  xdpMode?: "native" | "generic";
  tcMode?: "auto" | "tcx" | "clsact";
  runtime?: "auto" | "bpf" | "kmod";
  force?: boolean;
  reset?: string[];
}

const text = (v: Input): string =>
  typeof v === "object"
    ? JSON.stringify(v, (_, x: unknown) => (typeof x === "bigint" ? x.toString() : x))
    : String(v);

function tableHandle(nf: string, table: string): TableHandle {
  return {
    add: async (key, value) =>
      void (await tableOp(nf, table, { op: "add", key: text(key), value: text(value) })),
    del: async (key) => void (await tableOp(nf, table, { op: "del", key: text(key) })),
    get: async (key) => {
      try {
        return (await tableOp(nf, table, { op: "get", key: text(key) })).rows[0]?.json.value;
      } catch (e) {
        if ((e as { diagnostic?: { code?: string } }).diagnostic?.code === "NF6013") return undefined;
        throw e;
      }
    },
    list: async () => (await tableOp(nf, table, { op: "list" })).rows.map((r) => r.json),
    clear: async () => Number(/\d+/.exec((await tableOp(nf, table, { op: "clear" })).summary)?.[0] ?? 0),
    addFile: (file) => addFromFile(nf, table, file),
  };
}

function sketchHandle(nf: string, name: string): SketchHandle {
  const ask = async (q: SketchQuery): Promise<Record<string, unknown>> =>
    answer(await readSketch(nf, name), q).json as Record<string, unknown>;
  return {
    estimate: async (key) => Number((await ask({ op: "estimate", key: text(key) })).estimate),
    contains: async (key) => (await ask({ op: "contains", key: text(key) })).contains === true,
    top: async (n) => (await ask({ op: "top", n })) as unknown as Array<{ key: unknown; count: number }>,
    count: async (group) =>
      Number((await ask({ op: "count", group: group === undefined ? undefined : String(group) })).distinct),
    dump: () => readSketch(nf, name),
  };
}

function queueHandle(nf: string, name: string): QueueHandle {
  return {
    len: async () => (await queueOp(nf, name, "len")).shards.reduce((a, s) => a + s.len, 0),
    peek: async () => (await queueOp(nf, name, "peek")).shards,
  };
}

/** A handle on NF `nf`, already loaded (NF6001 otherwise). */
export function open(nf: string): NfHandle {
  const { manifest } = readRecord(nf);
  const own = (kinds: readonly string[]): string[] =>
    manifest.maps
      .filter((m) => m.element && kinds.includes(m.kind) && m.name === (m.params.structure ?? m.name))
      .map((m) => m.name);
  const tables = manifest.maps.filter((m) => m.family === "table").map((m) => m.name);
  return {
    name: nf,
    tables: Object.fromEntries(tables.map((t) => [t, tableHandle(nf, t)])),
    sketches: Object.fromEntries(own(SKETCH_KINDS).map((s) => [s, sketchHandle(nf, s)])),
    queues: Object.fromEntries(own(QUEUE_KINDS).map((q) => [q, queueHandle(nf, q)])),
    counters: async () => Object.fromEntries((await counters(nf)).map((c) => [c.name, c.total])),
    status: async () => (await status(nf))[0]!,
    set: async (values) =>
      void (await setConfig(
        nf,
        Object.entries(values).map(([k, v]) => `${k}=${String(v)}`),
      )),
    unload: async (o = {}) => void (await unloadNf(nf, o)),
  };
}

/** `nfc load` from TypeScript: builds a source if needed, loads, pins, attaches; a handle on it. */
export async function load(input: string, o: ClientLoadOptions): Promise<NfHandle> {
  const r = await loadNf(input, {
    devs: Array.isArray(o.dev) ? o.dev : [o.dev],
    netns: o.netns,
    set: Object.entries(o.set ?? {}).map(([k, v]) => `${k}=${String(v)}`),
    xdpMode: o.xdpMode,
    tcMode: o.tcMode,
    runtime: o.runtime,
    force: o.force,
    reset: o.reset,
  });
  return open(r.record.nf);
}
