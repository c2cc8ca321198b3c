// The interpreter's contract for a structure kind: its semantics live in their own file
// (lang/interp/kinds/<kind>.ts, registered in kinds/index.ts STORES for every registry kind). The
// interpreter encodes every operation argument to its C bytes with the
// op's parameter types (the checker already filled in defaults), calls `op`, and hands results
// back to the program. `mapBytes` is the state exactly as the pure backend's maps hold it: the
// differential compares it with the kernel's map entries concatenated in key order, per CPU.
import type { StateDecl } from "../checked.js";
import type { RV } from "./layout.js";

export interface KindStore {
  readonly name: string;
  /** The registry name (tables.ts serves four: its instance says which). */
  readonly kind: string;
  /**
   * A datapath operation from CPU `cpu`. `args` are the arguments' C bytes. Returns a boolean or
   * bigint for scalar results, a Uint8Array for a present option (a copy, or the live value
   * buffer where writes through the binding must persist), undefined for none and for void.
   */
  op(op: string, args: Uint8Array[], cpu: number): RV | undefined;
  /**
   * The bytes of the map `map` (declared by this structure with family "store"): all entries
   * concatenated in index order, for CPU `cpu` (ignored when the structure is not per-CPU).
   */
  mapBytes(map: string, cpu: number): Uint8Array;
  /** Control plane insert (test `entry` lines, difftest setup, bench pre-fill); false = refused. */
  entry?(key: Uint8Array, value: Uint8Array): boolean;
  /**
   * Restores map `map`'s bytes for CPU `cpu` (the inverse of mapBytes; ignores maps it does not
   * own). Test `expect` reads of a kernel snapshot build a fresh store, load every map named
   * after the structure (`name`, `name_*`) and run the read-only op on CPU 0.
   */
  load?(map: string, cpu: number, bytes: Uint8Array): void;
}

export interface StoreOptions {
  cpus: number;
  /** The backend of the object this interpreter is the twin of (kinds whose kmod lowering
   *  differs observably, e.g. in placement, model it). */
  backend: "bpf" | "kmod";
}

export type StoreFactory = (d: StateDecl, o: StoreOptions) => KindStore;
