// The building-block registry's shared types: what a structure kind (table, sketch, queue) declares
// about itself. One file per kind fills in a BlockDef; lang/blocks/index.ts lists them. The checker
// validates declarations and operation calls from these entries alone; the interpreter and the
// compiler's lowering hang their per-kind code off the same `name`.
import type { Ty } from "../types.js";

export type Family = "table" | "sketch" | "queue";

/** Resolved structure parameters, as stored in StateDecl.params. */
export type Params = Record<string, number | boolean>;

/** One accepted structure argument. Constraints are checked by the checker with the argument's span. */
export type ParamSpec =
  | {
      kind: "int";
      name: string;
      /** Inclusive bounds; values outside are a target-limit error (NF4xxx). */
      min: number;
      max: number;
      pow2?: boolean;
      doc: string;
    }
  | {
      kind: "decimal";
      name: string;
      /** Exclusive bounds: min < value < max. */
      min: number;
      max: number;
      doc: string;
    }
  | { kind: "flag"; name: string; doc: string };

/**
 * Alternative ways to size a structure: exactly one form must be given completely, e.g.
 * count_min `(rows, width)` or `(epsilon, delta)`. Parameters not in any form are optional (flags
 * or those with a default in `defaults`).
 */
export type ParamForm = readonly string[];

/** A type in an operation signature, in terms of the block's type parameters. */
export type TyRef =
  | { kind: "K" }
  | { kind: "V" }
  | { kind: "optionV" } // option<V>: `get` — bound with let-else / if-let, then a reference
  | { kind: "optionK" } // option<K>: an element of a queue `<T>` or a key of a range scan
  | { kind: "ty"; ty: Ty };

export interface OpParam {
  name: string;
  ty: TyRef;
  /** When absent from a call, the checker supplies this literal (so lowering always sees it). */
  default?: bigint;
}

export interface OpSig {
  params: readonly OpParam[];
  result: TyRef;
  /** Changes the structure's state (the interpreter and per-CPU semantics care). */
  mutates: boolean;
  /** Callable from `on packet`; false means control plane only (e.g. lpm insert). */
  datapath: boolean;
  /** Only valid when the table's value type V is an integer (table `add`). */
  needsIntValue?: boolean;
  doc: string;
}

export interface BlockDef<N extends string = string> {
  family: Family;
  /** The registry name: the kind's key in every phase's table (KindName, lang/blocks/index.ts). */
  name: N;
  /** Type parameters in declaration order: tables `<K, V>`, sketches and queues `<K>`/`<T>`. */
  typeParams: readonly ("K" | "V")[];
  params: readonly ParamSpec[];
  /** Alternative required sets (see ParamForm). Empty: no required parameters beyond `required`. */
  forms: readonly ParamForm[];
  /** Values used when an optional parameter is absent (flags default to false automatically). */
  defaults: Readonly<Params>;
  /** Returns a description of the accepted key types (e.g. "`ip4` or `ip6`") when `key` is not one. */
  checkKey?: (key: Ty) => string | undefined;
  /** Derives the canonical parameters from the given form (e.g. width from epsilon). Pure. */
  derive: (given: Params) => Params;
  /** Estimated memory in bytes for the limit check (per shard). */
  memoryBytes: (p: Params, key: Ty, value: Ty | undefined) => number;
  /** The whole structure is ONE map value (memoryBytes = its size): with `per_cpu` it must fit a per-CPU value (32 KiB, NF4103). */
  oneValue?: true;
  /** Bytes of one value of the kind's map, when it is neither the whole structure (`oneValue`) nor
   *  a table's value type (a cuckoo bucket, an hll group): the kernel's per-value limits apply to it
   *  (lang/check/value-limits.ts). */
  valueBytes?: (p: Params, key: Ty, value: Ty | undefined) => number;
  ops: Readonly<Record<string, OpSig>>;
  doc: string;
}

// ---------- helpers shared by kind files ----------

export const K: TyRef = { kind: "K" };
export const V: TyRef = { kind: "V" };
export const OPTION_V: TyRef = { kind: "optionV" };
export const OPTION_K: TyRef = { kind: "optionK" };
export const ty = (t: Ty): TyRef => ({ kind: "ty", ty: t });

/** Largest number of entries a table may have. */
export const MAX_ENTRIES = 1 << 24;
/** Largest memory one structure may use (per shard). */
export const MAX_STRUCT_BYTES = 256 * 1024 * 1024;

export function isPow2(n: number): boolean {
  return Number.isInteger(n) && n > 0 && Number.isInteger(Math.log2(n));
}

export function nextPow2(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

/** The power of two closest to n (ties go up). */
export function nearestPow2(n: number): number {
  if (n <= 1) return 1;
  const hi = nextPow2(n);
  const lo = hi / 2;
  return n - lo < hi - n ? lo : hi;
}

export const PER_CPU: ParamSpec = { kind: "flag", name: "per_cpu", doc: "one shard per CPU" };
/** A table other NFs may use by the same name: pinned once under /sys/fs/bpf/nfc/shared/ and reused
 *  by every NF that declares it with the same layout (docs/LANGUAGE.md "Shared tables"). */
export const SHARED: ParamSpec = {
  kind: "flag",
  name: "shared",
  doc: "one map shared by name with other NFs",
};
