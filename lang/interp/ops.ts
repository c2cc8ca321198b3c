// State operations from the datapath (`state.op(args)`), dispatched on the structure kind. Keys
// and values are encoded to their C bytes first; arguments are evaluated left to right. Semantics
// per kind live in tables.ts and sketches.ts.
import type { StateDecl, TExpr } from "../checked.js";
import { findBlock, type TyRef } from "../blocks/index.js";
import type { Ty } from "../types.js";
import type { KindStore } from "./kinds.js";
import { asInt, dataTy, encode, type RV } from "./layout.js";
import { BloomStore, CountMinStore } from "./sketches.js";
import { tableAdd, TableStore } from "./tables.js";

export interface StateStores {
  decls: ReadonlyMap<string, StateDecl>;
  tables: ReadonlyMap<string, TableStore>;
  sketches: ReadonlyMap<string, CountMinStore | BloomStore>;
  counters: ReadonlyMap<string, bigint[]>;
  /** Kinds with their own semantics file (kinds/index.ts). */
  stores: ReadonlyMap<string, KindStore>;
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
  if (store) return store.op(op, storeArgs(decl, op, args.length, arg), cpu);
  const table = host.state.tables.get(name);
  if (table) {
    const key = arg(0, decl.key);
    switch (op) {
      case "get":
        return table.lookup(key, cpu);
      case "contains":
        return table.contains(key, cpu);
      case "insert":
        return table.update(key, arg(1, decl.value!), cpu, "any");
      case "update":
        return table.update(key, arg(1, decl.value!), cpu, "exist");
      case "remove":
        return table.remove(key);
      case "add": {
        const vt = dataTy(decl.value!);
        if (vt.kind !== "int") throw new Error(`interp: \`${name}.add\` on a non-integer value`);
        tableAdd(table, key, asInt(host.expr(args[1]!)), vt.bits, cpu);
        return undefined;
      }
      default:
        throw new Error(`interp: unknown table operation \`${name}.${op}\``);
    }
  }
  const sk = host.state.sketches.get(name);
  if (sk instanceof CountMinStore) {
    const key = arg(0, decl.key);
    if (op === "add") {
      sk.add(key, Number(asInt(args[1] ? host.expr(args[1]) : 1n) & 0xffffffffn), cpu);
      return undefined;
    }
    if (op === "estimate") return BigInt(sk.estimate(key, cpu));
  } else if (sk instanceof BloomStore) {
    const key = arg(0, decl.key);
    if (op === "insert") {
      sk.insert(key, cpu);
      return undefined;
    }
    if (op === "contains") return sk.contains(key, cpu);
  }
  throw new Error(`interp: unsupported operation \`${name}.${op}\` (${decl.kind})`);
}

/** The arguments of a plug-in kind's op, encoded with the registry signature's parameter types. */
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
