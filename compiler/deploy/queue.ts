// `nfc queue NF NAME len | peek`: a loaded NF's queue (fifo, pq, timer_wheel) read from its pinned
// map without changing it. The bytes are loaded into the interpreter's store of that kind (the
// semantics of record), which answers `len`, and `peek` = the element the datapath's next pop
// would return (fifo: the head; pq: pop_min; timer_wheel: the earliest scheduled, pop_due at
// the end of time) taken from that copy. Per-CPU queues answer per CPU.
import type { StateDecl } from "../../lang/checked.js";
import { STORES } from "../../lang/interp/kinds/index.js";
import type { Ty } from "../../lang/types.js";
import { noSpan } from "../../lang/span.js";
import type { Layout } from "../ir/ir.js";
import type { ManifestMap } from "../manifest.js";
import { formatLayout, jsonLayout } from "./codec.js";
import { loadedNf, readShards, structureMaps, withMaps } from "./maps.js";

export const QUEUE_KINDS = ["fifo", "pq", "timer_wheel"];
const POP: Record<string, { op: string; args: Uint8Array[] }> = {
  fifo: { op: "pop", args: [] },
  pq: { op: "pop_min", args: [] },
  timer_wheel: { op: "pop_due", args: [new Uint8Array(8).fill(0xff)] },
};

const SCALARS: Record<string, Ty> = {
  u8: { kind: "int", bits: 8 },
  u16: { kind: "int", bits: 16 },
  u32: { kind: "int", bits: 32 },
  u64: { kind: "int", bits: 64 },
  bool: { kind: "bool" },
  ip4: { kind: "ip4" },
  ip6: { kind: "ip6" },
  mac: { kind: "mac" },
};

function fieldTy(type: string, size: number): Ty {
  return SCALARS[type] ?? { kind: "bytes", len: size };
}

/** The element type a layout describes (sizes and alignments are what the stores need). */
export function tyOfLayout(l: Layout): Ty {
  const data = l.fields.filter((f) => f.type !== "pad");
  if (data.length === 1 && data[0]!.offset === 0 && data[0]!.size === l.size)
    return fieldTy(data[0]!.type, data[0]!.size);
  const fields = data.map((f) => ({ name: f.name, ty: fieldTy(f.type, f.size), offset: f.offset }));
  const align = Math.max(1, ...data.map((f) => (SCALARS[f.type] ? Math.min(f.size, 8) : 1)));
  return { kind: "struct", name: l.ctype, fields, size: l.size, align };
}

export interface QueueAnswer {
  /** One row per shard (one for a shared queue). */
  shards: Array<{ cpu?: number; len: number; next?: string; json?: unknown }>;
}

export async function queueOp(nf: string, name: string, op: "len" | "peek"): Promise<QueueAnswer> {
  const loaded = loadedNf(nf, "queue");
  const [main] = structureMaps(loaded, name, "queue", QUEUE_KINDS);
  const m = main!;
  const shards = await withMaps(loaded, [m], (k) => readShards(k, m));
  return { shards: shards.map((bytes, cpu) => answer(m, bytes, m.per_cpu ? cpu : undefined, op)) };
}

function answer(
  m: ManifestMap,
  bytes: Uint8Array,
  cpu: number | undefined,
  op: "len" | "peek",
): QueueAnswer["shards"][number] {
  const decl: StateDecl = {
    name: m.name,
    family: "queue",
    kind: m.kind as StateDecl["kind"],
    key: tyOfLayout(m.element!),
    params: { ...(m.params as Record<string, number | boolean>), per_cpu: false },
    span: noSpan(""),
  };
  const store = STORES[decl.kind]!(decl, { cpus: 1, backend: "bpf" });
  store.load!(m.name, 0, bytes);
  const len = Number(store.op("len", [], 0));
  if (op === "len") return { cpu, len };
  const pop = POP[m.kind]!;
  const e = store.op(pop.op, pop.args, 0);
  if (!(e instanceof Uint8Array)) return { cpu, len };
  return { cpu, len, next: formatLayout(m.element!, e), json: jsonLayout(m.element!, e) };
}

export function formatQueue(name: string, op: "len" | "peek", a: QueueAnswer): string {
  return a.shards
    .map((s) => {
      const at = s.cpu === undefined ? name : `${name} cpu${s.cpu}`;
      if (op === "len") return `${at}: ${s.len}\n`;
      return `${at}: ${s.next === undefined ? "empty" : s.next}${s.len > 1 ? ` (${s.len - 1} more)` : ""}\n`;
    })
    .join("");
}
