// What every table kind shares: the `capacity` parameter, the `per_cpu` flag, the six operations
// and the memory estimate. Kind files (array.ts, hash.ts, ...) specialise these.
import { BOOL, sizeOf, VOID, type Ty } from "../types.js";
import {
  K,
  MAX_ENTRIES,
  OPTION_V,
  PER_CPU,
  SHARED,
  ty,
  V,
  type OpSig,
  type ParamSpec,
  type Params,
} from "./registry.js";

export const CAPACITY: ParamSpec = {
  kind: "int",
  name: "capacity",
  min: 1,
  max: MAX_ENTRIES,
  doc: "maximum number of entries",
};

export const TABLE_PARAMS: readonly ParamSpec[] = [CAPACITY, PER_CPU, SHARED];

export const TABLE_OPS: Readonly<Record<string, OpSig>> = {
  get: {
    params: [{ name: "key", ty: K }],
    result: OPTION_V,
    mutates: false,
    datapath: true,
    doc: "the stored value, if any (a reference)",
  },
  contains: {
    params: [{ name: "key", ty: K }],
    result: ty(BOOL),
    mutates: false,
    datapath: true,
    doc: "whether the key is present",
  },
  insert: {
    params: [
      { name: "key", ty: K },
      { name: "value", ty: V },
    ],
    result: ty(BOOL),
    mutates: true,
    datapath: true,
    doc: "insert or overwrite; false when the table is full",
  },
  update: {
    params: [
      { name: "key", ty: K },
      { name: "value", ty: V },
    ],
    result: ty(BOOL),
    mutates: true,
    datapath: true,
    doc: "overwrite an existing entry; false when absent",
  },
  remove: {
    params: [{ name: "key", ty: K }],
    result: ty(BOOL),
    mutates: true,
    datapath: true,
    doc: "delete; false when absent",
  },
  add: {
    params: [
      { name: "key", ty: K },
      { name: "n", ty: V },
    ],
    result: ty(VOID),
    mutates: true,
    datapath: true,
    needsIntValue: true,
    doc: "atomically add n to an integer value, inserting n when absent",
  },
};

/** Kernel hash-map style memory: key + value + ~48 bytes of element overhead per entry. */
export function tableMemory(p: Params, key: Ty, value: Ty | undefined): number {
  const cap = Number(p.capacity ?? 0);
  return cap * (sizeOf(key) + (value ? sizeOf(value) : 0) + 48);
}

export const identity = (p: Params): Params => ({ ...p });
