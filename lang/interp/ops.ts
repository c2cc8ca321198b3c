// State operations from the datapath (`state.op(args)`): the arguments are encoded to their C
// bytes with the registry signature's parameter types (left to right), then the structure's
// KindStore runs the operation. Semantics per kind live in kinds/ (one file per kind).
import type { EventDecl } from "../checked.js";
import type { EventRing } from "./events.js";
import type { StateDecl, TExpr } from "../checked.js";
import { findBlock, type TyRef } from "../blocks/index.js";
import type { Ty } from "../types.js";
import type { KindStore } from "./kinds.js";
import { encode, type RV } from "./layout.js";

export interface StateStores {
  decls: ReadonlyMap<string, StateDecl>;
  counters: ReadonlyMap<string, bigint[]>;
  /** Every structure's semantics (kinds/index.ts STORES), by structure name. */
  stores: ReadonlyMap<string, KindStore>;
  /** Declared events and the ring buffer model (events.ts). */
  events: ReadonlyMap<string, EventDecl>;
  ring: EventRing;
}

export interface OpHost {
  state: StateStores;
  meta: { cpu: number };
  expr(e: TExpr): RV;
}

/**
 * Runs `name.op(args)`. Returns the op's value: a bool / u32, the live value buffer for a table
 * `get` that found its key (undefined when absent), or undefined for void ops.
 */
export function runOp(host: OpHost, name: string, op: string, args: readonly TExpr[]): RV | undefined {
  const decl = host.state.decls.get(name);
  if (!decl) throw new Error(`interp: unknown structure \`${name}\``);
  const cpu = host.meta.cpu;
  const arg = (i: number, ty: Ty): Uint8Array => {
    const a = args[i];
    if (!a) throw new Error(`interp: \`${name}.${op}\` is missing argument ${i + 1}`);
    return encode(ty, host.expr(a));
  };
  const store = host.state.stores.get(name);
  if (!store) throw new Error(`interp: no store for \`${name}\` (${decl.kind})`);
  return store.op(op, storeArgs(decl, op, args.length, arg), cpu);
}

/** The arguments of an op, encoded with the registry signature's parameter types. */
function storeArgs(
  decl: StateDecl,
  op: string,
  count: number,
  arg: (i: number, ty: Ty) => Uint8Array,
): Uint8Array[] {
  const sig = findBlock(decl.kind)?.ops[op];
  if (!sig) throw new Error(`interp: unknown operation \`${decl.name}.${op}\` (${decl.kind})`);
  const tyOf = (r: TyRef): Ty => {
    switch (r.kind) {
      case "K":
        return decl.key;
      case "V":
        return decl.value ?? decl.key;
      case "ty":
        return r.ty;
      case "optionV":
      case "optionK":
        throw new Error(`interp: \`${decl.name}.${op}\` takes an option parameter`);
    }
  };
  return sig.params.slice(0, count).map((p, i) => arg(i, tyOf(p.ty)));
}
