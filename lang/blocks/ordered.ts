// `table NAME: ordered<K, V>(capacity = N)`: a sorted map — a skip list over a fixed arena of N
// nodes. Lookups, insert (false when full), remove and bounded range scans (`first_ge`, `next`).
// Semantics of record: lang/interp/kinds/ordered.ts and docs/blocks/ordered.md. The layout and the
// derived geometry below are the one description of the pure backend's memory, shared by the
// interpreter (mapBytes) and the compiler (compiler/blocks/ordered.ts, stdlib nf/ordered.h).
//
// Key order: integers (and bool) numerically; every other key (ip4, ip6, mac, bytes[N], structs of
// at most 16 bytes) by its C bytes, lexicographically (big-endian for addresses, as on the wire).
// Node levels are deterministic: level(k) = 1 + trailing one bits of nf_hash64(k, seed), capped at
// `levels`, so the list's shape is a function of its key set alone.
import { alignOf, roundUp, sizeOf, type Ty } from "../types.js";
import { K, OPTION_K, PER_CPU, type BlockDef, type Params } from "./registry.js";
import { TABLE_OPS } from "./table-common.js";

/** Largest capacity: node indices are u16, index 0 is the head sentinel. */
export const ORDERED_MAX_CAPACITY = 65535;
/** Moves to the right a search makes per level before it gives up (nf/ordered.h NF_ORD_MOVES). */
export const ORDERED_MOVES = 32;
/** Largest non-integer key (compared as two big-endian u64 words). */
export const ORDERED_MAX_KEY_BYTES = 16;

/** Offsets of the single map value `struct <nf>_<name>_arena` (compiler/blocks/ordered.ts). */
export interface OrderedLayout {
  capacity: number;
  /** Skip-list levels: max(1, ceil(log2(capacity))), at most 16. */
  levels: number;
  /** Moves to the right per level before a search gives up (ORDERED_MOVES). */
  moves: number;
  /** Key compared as an integer (host order) rather than as bytes. */
  numeric: boolean;
  keySize: number;
  valueSize: number;
  /** In a node: key at 0, value at valueOff, u16 next[levels] at nextOff; node size (8-aligned). */
  valueOff: number;
  nextOff: number;
  node: number;
  /** In the value: 0 lock (u32; 0 in the per-CPU variant), 4 free (u16), 6 used (u16), 8 head
   *  (u16, always 0), 16 nodes. */
  nodes: number;
  size: number;
}

export const ORD_FREE = 4;
export const ORD_USED = 6;
export const ORD_HEAD = 8;
export const ORD_NODES = 16;

export function orderedLevels(capacity: number): number {
  return Math.min(16, Math.max(1, Math.ceil(Math.log2(capacity))));
}

export function isNumericKey(k: Ty): boolean {
  return k.kind === "int" || k.kind === "bool";
}

export function orderedLayout(p: Params, key: Ty, value: Ty | undefined): OrderedLayout {
  const capacity = Number(p.capacity);
  const levels = orderedLevels(capacity);
  const keySize = sizeOf(key);
  const valueSize = value ? sizeOf(value) : 0;
  const valueOff = value ? roundUp(keySize, alignOf(value)) : keySize;
  const nextOff = roundUp(valueOff + valueSize, 2);
  const node = roundUp(nextOff + 2 * levels, 8);
  return {
    capacity,
    levels,
    moves: ORDERED_MOVES,
    numeric: isNumericKey(key),
    keySize,
    valueSize,
    valueOff,
    nextOff,
    node,
    nodes: ORD_NODES,
    size: ORD_NODES + (capacity + 1) * node,
  };
}

export const orderedBlock: BlockDef<"ordered"> = {
  family: "table",
  name: "ordered",
  typeParams: ["K", "V"],
  params: [
    {
      kind: "int",
      name: "capacity",
      min: 1,
      max: ORDERED_MAX_CAPACITY,
      doc: "maximum number of entries (nodes in the arena), at most 65535",
    },
    PER_CPU,
  ],
  forms: [["capacity"]],
  defaults: {},
  checkKey: (k) =>
    isNumericKey(k) ||
    (["ip4", "ip6", "mac", "bytes", "struct"].includes(k.kind) && sizeOf(k) <= ORDERED_MAX_KEY_BYTES)
      ? undefined
      : "an integer, `bool`, or an `ip4`/`ip6`/`mac`/`bytes[N]`/struct key of at most 16 bytes",
  derive: (g) => ({ capacity: Number(g.capacity), per_cpu: g.per_cpu === true }),
  memoryBytes: (p, key, value) => orderedLayout(p, key, value).size,
  oneValue: true,
  ops: {
    get: { ...TABLE_OPS.get!, doc: "the stored value, if any (a reference into the arena)" },
    contains: TABLE_OPS.contains!,
    insert: {
      ...TABLE_OPS.insert!,
      doc: "insert, or overwrite the value of a present key; false when the arena is full (or a search level needed more than 32 moves)",
    },
    remove: { ...TABLE_OPS.remove!, doc: "delete; false when absent" },
    first_ge: {
      params: [{ name: "key", ty: K }],
      result: OPTION_K,
      mutates: false,
      datapath: true,
      doc: "the smallest stored key ≥ key, if any",
    },
    next: {
      params: [{ name: "key", ty: K }],
      result: OPTION_K,
      mutates: false,
      datapath: true,
      doc: "the smallest stored key > key, if any (range scans: first_ge, then next)",
    },
  },
  doc: "sorted map (skip list over a fixed node arena) with range scans",
};
