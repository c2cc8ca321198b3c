// `table NAME: cuckoo<K, V>(capacity = N, max_kicks = M)`: a blocked cuckoo hash table
// (CuckooSwitch / eNetSTL). Buckets of 16 u16 signatures plus 16 slots (key, then value); two
// candidate buckets per key, the second derived from the first and the signature (partial-key
// cuckoo), so a displaced entry finds its other bucket without rehashing its key. Signature 0
// marks an empty lane. The bucket layout (`cuckooGeometry`) is shared by the interpreter, both
// lowerings and the docs (docs/blocks/cuckoo.md); semantics: lang/interp/kinds/cuckoo.ts.
import { alignOf, roundUp, sizeOf, type Ty } from "../types.js";
import { MAX_ENTRIES, PER_CPU, type BlockDef, type Params } from "./registry.js";
import { TABLE_OPS } from "./table-common.js";

/** Lanes (signatures / slots) per bucket. */
export const CUCKOO_LANES = 16;
/** Bytes of the signature array at the start of every bucket (16 × u16). */
export const CUCKOO_SIG_BYTES = 32;
/** Upper bound of `max_kicks`: the displacement path rotates through distinct lanes. */
export const CUCKOO_MAX_KICKS = 16;
export const CUCKOO_DEFAULT_KICKS = 8;

export interface CuckooGeometry {
  buckets: number;
  /** Key bytes (at slot offset 0) and the unit (1/2/4/8) keys are compared and copied in. */
  keySize: number;
  keyUnit: number;
  /** Value bytes and their offset inside the slot. */
  valueSize: number;
  valueOffset: number;
  valueUnit: number;
  /** Bytes per slot: natural layout of { K key; V value; } rounded to an even size. */
  stride: number;
  /** 32 + 16 × stride: one map entry. */
  bucketBytes: number;
}

const unitOf = (align: number, size: number): number => {
  let u = Math.min(align, 8);
  while (u > 1 && size % u !== 0) u /= 2;
  return u;
};

/** The bucket layout of a cuckoo<K, V> with `capacity` entries (a power of two ≥ 16). */
export function cuckooGeometry(capacity: number, key: Ty, value: Ty): CuckooGeometry {
  const keySize = sizeOf(key);
  const valueSize = sizeOf(value);
  const ka = alignOf(key);
  const va = alignOf(value);
  const valueOffset = roundUp(keySize, va);
  const stride = roundUp(valueOffset + valueSize, Math.max(2, ka, va));
  return {
    buckets: capacity / CUCKOO_LANES,
    keySize,
    keyUnit: unitOf(ka, keySize),
    valueSize,
    valueOffset,
    valueUnit: unitOf(va, valueSize),
    stride,
    bucketBytes: CUCKOO_SIG_BYTES + CUCKOO_LANES * stride,
  };
}

export const cuckooBlock: BlockDef<"cuckoo"> = {
  family: "table",
  name: "cuckoo",
  typeParams: ["K", "V"],
  params: [
    {
      kind: "int",
      name: "capacity",
      min: CUCKOO_LANES,
      max: MAX_ENTRIES,
      pow2: true,
      doc: "slots (a power of two ≥ 16); buckets = capacity / 16",
    },
    {
      kind: "int",
      name: "max_kicks",
      min: 1,
      max: CUCKOO_MAX_KICKS,
      doc: "longest displacement path an insert searches before reporting full (default 8)",
    },
    PER_CPU,
  ],
  forms: [["capacity"]],
  defaults: { max_kicks: CUCKOO_DEFAULT_KICKS },
  checkKey: (key) => {
    const n = sizeOf(key);
    return n >= 1 && n <= 64 ? undefined : "a type of 1..64 bytes (the key is hashed)";
  },
  derive: (g: Params) => ({
    capacity: Number(g.capacity),
    max_kicks: Number(g.max_kicks ?? CUCKOO_DEFAULT_KICKS),
    per_cpu: g.per_cpu === true,
  }),
  memoryBytes: (p, key, value) =>
    value
      ? (Number(p.capacity) / CUCKOO_LANES) * cuckooGeometry(Number(p.capacity), key, value).bucketBytes
      : 0,
  valueBytes: (p, key, value) => (value ? cuckooGeometry(Number(p.capacity), key, value).bucketBytes : 0),
  ops: {
    get: { ...TABLE_OPS.get!, doc: "the stored value, if any (a reference into the key's slot)" },
    contains: TABLE_OPS.contains!,
    insert: {
      ...TABLE_OPS.insert!,
      doc: "overwrite in place, else place in a free lane of either bucket, else displace along a path of at most max_kicks entries; false (table unchanged) when no path exists: full",
    },
    remove: {
      ...TABLE_OPS.remove!,
      doc: "delete (the lane's signature and slot are zeroed); false when absent",
    },
  },
  doc: "blocked cuckoo hash: 16-lane signature buckets, two candidate buckets per key, bounded displacement",
};
