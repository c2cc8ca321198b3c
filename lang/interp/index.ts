// The reference interpreter: the semantics of record for a CheckedProgram. `run` takes one packet
// and returns the verdict and the output bytes the generated BPF program must also produce; the
// state handles read and write the same logical state the maps hold (keys and values as their
// exact C memory bytes). Contract and semantics: CONTEXT.md.
import type { CheckedProgram, StateDecl, Value } from "../checked.js";
import { Frame, type RunMeta, type Verdict } from "./exec.js";
import { readField } from "./fields.js";
import { checkCpu, fromValue, valueMatches, type RV } from "./layout.js";
import { parseBuiltin, parseExtensions } from "./parse.js";
import { BloomStore } from "./kinds/bloom.js";
import { CountMinStore } from "./kinds/count-min.js";
import { TableStore, type LpmKey } from "./kinds/tables.js";
import type { KindStore } from "./kinds.js";
import { EventRing, type EmittedEvent } from "./events.js";
import { STORES } from "./kinds/index.js";

export { structureSeed } from "../hash.js";
export type { RunMeta, Verdict } from "./exec.js";
export type { LpmKey } from "./kinds/tables.js";
export type { KindStore } from "./kinds.js";
export type { EmittedEvent } from "./events.js";
export { decodeEvent } from "./events.js";

export interface RunResult {
  verdict: Verdict;
  /** Set for `redirect(ifindex)`, and for `tx` on TC hooks (a redirect to meta.ifindex). */
  redirectIfindex?: number;
  packet: Uint8Array;
  /** TC: the departure time the handler set with `set_tstamp(ns)` (skb->tstamp), if it did. */
  tstamp?: bigint;
  /** Records this packet put into the ring buffer, in order (events.ts); dropped ones are not here. */
  events: EmittedEvent[];
}

/** Control-plane view of a hash / lru / array table. Values are copies; `cpu` defaults to 0. */
export interface TableHandle {
  kind: "array" | "hash" | "lru";
  perCpu: boolean;
  /** Update (BPF_ANY). Per-CPU: sets only `cpu`'s value, or every CPU's when `cpu` is omitted. */
  set(key: Uint8Array, value: Uint8Array, cpu?: number): boolean;
  get(key: Uint8Array, cpu?: number): Uint8Array | undefined;
  delete(key: Uint8Array): boolean;
  entries(cpu?: number): { key: Uint8Array; value: Uint8Array }[];
  /** Entries held (hash, lru) and element writes so far (lru: where the kernel may evict). */
  stats(): { size: number; writes: number; capacity: number };
  /** lru: the next element write first evicts these keys (an eviction choice made elsewhere). */
  evictOnNextWrite(keys: Uint8Array[]): void;
}

export interface LpmHandle {
  kind: "lpm";
  perCpu: boolean;
  set(entry: LpmKey, value: Uint8Array, cpu?: number): boolean;
  /** Longest-prefix lookup of an address (what the datapath `get` sees). */
  lookup(addr: Uint8Array, cpu?: number): Uint8Array | undefined;
  delete(entry: LpmKey): boolean;
  /** Keys are the kernel's `{ u32 prefixlen (LE); addr }` bytes. */
  entries(cpu?: number): { key: Uint8Array; value: Uint8Array }[];
}

export interface CounterHandle {
  /** One u64 per CPU (a copy). */
  values(): bigint[];
  /** The control-plane merge: the sum over CPUs, modulo 2^64. */
  total(): bigint;
  set(cpu: number, v: bigint): void;
}

export interface Interpreter {
  readonly cpus: number;
  setConfig(name: string, value: Value): void;
  tables: Record<string, TableHandle | LpmHandle>;
  sketches: Record<string, CountMinStore | BloomStore>;
  counters: Record<string, CounterHandle>;
  /** Structures of the plug-in kinds (kinds/index.ts): cuckoo, ordered, queues, newer sketches. */
  stores: Record<string, KindStore>;
  run(packet: Uint8Array, meta: RunMeta): RunResult;
  /** Empties the ring buffer model, as a user space reader does: the records since the last drain. */
  drainEvents(): EmittedEvent[];
}

export interface InterpreterOptions {
  /** Simulated CPUs (per-CPU shards), default 1. */
  cpus?: number;
  /** Structures lowered through runtime-kmod in the object this interpreter is the twin of
   *  (Choice.kmodStates); plug-in kinds whose kmod lowering differs observably model it. */
  kmodStates?: ReadonlySet<string>;
}

export function createInterpreter(program: CheckedProgram, options: InterpreterOptions = {}): Interpreter {
  const cpus = options.cpus ?? 1;
  if (!Number.isInteger(cpus) || cpus < 1)
    throw new RangeError(`interp: cpus must be a positive integer, got ${cpus}`);

  const decls = new Map<string, StateDecl>(program.states.map((d) => [d.name, d]));
  const all = new Map<string, KindStore>();
  const tables = new Map<string, TableStore>();
  const sketches = new Map<string, CountMinStore | BloomStore>();
  const stores = new Map<string, KindStore>();
  for (const d of program.states) {
    const store = STORES[d.kind](d, { cpus, backend: options.kmodStates?.has(d.name) ? "kmod" : "bpf" });
    all.set(d.name, store);
    // The control-plane views: map-backed tables and sketches have their own handles.
    if (store instanceof TableStore) tables.set(d.name, store);
    else if (store instanceof CountMinStore || store instanceof BloomStore) sketches.set(d.name, store);
    else stores.set(d.name, store);
  }
  const counters = new Map<string, bigint[]>(
    program.counters.map((c) => [c.name, new Array<bigint>(cpus).fill(0n)]),
  );
  const configs = new Map<string, RV>(program.configs.map((c) => [c.name, fromValue(c.ty, c.default)]));
  const events = new Map((program.events ?? []).map((e) => [e.name, e]));
  const ring = new EventRing();
  const state = { decls, counters, stores: all, events, ring };

  const tableHandles: Record<string, TableHandle | LpmHandle> = {};
  for (const [name, t] of tables) tableHandles[name] = t.kind === "lpm" ? lpmHandle(t) : tableHandle(t);

  const counterHandles: Record<string, CounterHandle> = {};
  for (const [name, c] of counters) {
    counterHandles[name] = {
      values: () => [...c],
      total: () => c.reduce((a, b) => a + b, 0n) & ((1n << 64n) - 1n),
      set: (cpu, v) => {
        checkCpu(cpu, cpus);
        c[cpu] = v & ((1n << 64n) - 1n);
      },
    };
  }

  return {
    cpus,
    setConfig(name, value) {
      const c = program.configs.find((x) => x.name === name);
      if (!c) throw new Error(`interp: no config named \`${name}\``);
      configs.set(name, fromValue(c.ty, value));
    },
    tables: tableHandles,
    sketches: Object.fromEntries(sketches),
    counters: counterHandles,
    stores: Object.fromEntries(stores),
    drainEvents: () => ring.drain(),
    run(packet, meta) {
      checkCpu(meta.cpu, cpus);
      const pkt = packet.slice();
      const parsed = parseBuiltin(pkt);
      const frame = new Frame(pkt, parsed, meta, state, configs, program.headers);
      parseExtensions(pkt, parsed, program.parseExts, program.headers, (ext) =>
        valueMatches(readField(frame, ext.after, ext.field), ext.value),
      );
      const flow = frame.block(program.handler);
      if (flow?.kind !== "verdict")
        throw new Error("interp: the handler ended without a verdict (checker bug)");
      const out: RunResult = { verdict: flow.verdict, packet: frame.pkt, events: frame.emitted };
      if (frame.tstamp !== undefined) out.tstamp = frame.tstamp;
      if (flow.ifindex !== undefined) out.redirectIfindex = flow.ifindex;
      else if (flow.verdict === "tx" && program.hook !== "xdp") out.redirectIfindex = meta.ifindex; // TC: bpf_redirect(skb->ifindex)
      return out;
    },
  };
}

function tableHandle(t: TableStore): TableHandle {
  const kind = t.kind as "array" | "hash" | "lru";
  return {
    kind,
    perCpu: t.perCpu,
    set: (key, value, cpu) => t.update(key, value, cpu ?? 0, "any", cpu === undefined),
    get: (key, cpu) => t.lookup(key, cpu ?? 0, false)?.slice(),
    delete: (key) => t.remove(key),
    entries: (cpu) => t.entries(cpu ?? 0),
    stats: () => ({ size: t.size, writes: t.writes, capacity: t.capacity }),
    evictOnNextWrite: (keys) => {
      t.pendingEvictions = keys.map((k) => k.slice());
    },
  };
}

function lpmHandle(t: TableStore): LpmHandle {
  return {
    kind: "lpm",
    perCpu: t.perCpu,
    set: (entry, value, cpu) => t.updateLpm(entry, value, cpu ?? 0, cpu === undefined),
    lookup: (addr, cpu) => t.lookup(addr, cpu ?? 0, false)?.slice(),
    delete: (entry) => t.removeLpm(entry),
    entries: (cpu) => t.entries(cpu ?? 0),
  };
}
