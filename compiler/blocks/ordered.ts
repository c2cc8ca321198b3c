// ordered<K, V>(capacity) for the bpf runtime: ONE ARRAY (PERCPU_ARRAY with per_cpu) entry holding
// the whole skip list (stdlib nf/ordered.h):
//   struct nf_<name>_arena { struct bpf_spin_lock lock; __u16 free, used, head, _pad[3];
//     struct nf_<name>_node { K key; V value; __u16 next[L]; } __aligned(8) node[C + 1]; }
// Byte layout = lang/blocks/ordered.ts orderedLayout() (the interpreter's mapBytes), map family
// "store". A shared arena is updated under the value's bpf_spin_lock (the helpers call nothing in
// between); per_cpu has `__u32 lock_unused` instead and no lock. Every op is one stdlib call with
// the geometry as NF_ORD_GEO(cap, levels, node, ksz, numeric, voff, vsz, noff, shared):
//   get(k)      → nf_ord_get(&m, geo, &k, 0)            (V *, NULL = none; a reference into the arena)
//   first_ge(k) → nf_ord_get(&m, geo, &k, 1), next(k) → (.., 2)   (K *, NULL = none)
//   contains(k) → nf_ord_contains(&m, geo, &k)
//   insert(k,v) → nf_ord_put(&m, geo, &k, &v, seed)     remove(k) → nf_ord_del(&m, geo, &k)
// An arena above one map value (4 MiB shared, 32 KiB per-CPU) is NF4102.
import type { StateDecl } from "../../lang/checked.js";
import { orderedLayout } from "../../lang/blocks/ordered.js";
import { diag } from "../../lang/diagnostics/catalogue.js";
import { structureSeed } from "../../lang/hash.js";
import type { Ty } from "../../lang/types.js";
import { call, cint, int, mapref } from "../ir/build.js";
import { C_BOOL, C_U32, C_U64, cName, ptrTo, type CType } from "../ir/ctype.js";
import type { IExpr } from "../ir/ir.js";
import { bug, type Lowerer } from "../lower/context.js";
import { addArrayMap, perCpu, stackTemp, type BlockLowering } from "./common.js";
import { hostField } from "./locked-value.js";

/** Largest array-map value (KMALLOC_MAX_SIZE) and per-CPU value (PCPU_MIN_UNIT_SIZE). */
export const MAX_VALUE_BYTES = 4 << 20;
export const MAX_PERCPU_VALUE_BYTES = 32 << 10;

const GEO: CType = { kind: "opaque", name: "struct nf_ord_geo" };

function valueTy(st: StateDecl): Ty {
  return st.value ?? bug(`ordered table \`${st.name}\` without a value type`, st.span);
}

/** The C struct of the single map value; declares it (and the node struct) once. */
export function arenaType(cx: Lowerer, st: StateDecl): CType {
  const L = orderedLayout(st.params, st.key, st.value);
  const node = cx.stateTag(st.name, "node");
  cx.structs.set(node, {
    name: node,
    fields: [
      { name: "key", decl: `${cName(cx.cty(st.key))} key` },
      { name: "value", decl: `${cName(cx.cty(valueTy(st)))} value` },
      { name: "next", decl: `__u16 next[${L.levels}]` },
      // The stride is a multiple of 8: keys are read as (masked) u64 words (nf_ord_okey).
      { name: "_align", decl: "__u64 _align[0]" },
    ],
    packed: false,
    size: L.node,
    span: st.span,
  });
  const name = cx.stateTag(st.name, "arena");
  cx.structs.set(name, {
    name,
    fields: [
      perCpu(st)
        ? { name: "lock_unused", decl: "__u32 lock_unused" }
        : { name: "lock", decl: "struct bpf_spin_lock lock" },
      { name: "free", decl: "__u16 free" },
      { name: "used", decl: "__u16 used" },
      { name: "head", decl: "__u16 head" },
      { name: "_pad", decl: "__u16 _pad[3]" },
      { name: "node", decl: `struct ${node} node[${L.capacity + 1}]` },
    ],
    packed: false,
    size: L.size,
    span: st.span,
  });
  return { kind: "struct", name, size: L.size, align: 8 };
}

function declare(cx: Lowerer, st: StateDecl): void {
  const pc = perCpu(st);
  const L = orderedLayout(st.params, st.key, st.value);
  const max = pc ? MAX_PERCPU_VALUE_BYTES : MAX_VALUE_BYTES;
  if (L.size > max) {
    cx.error(diag("NF4102", st.span, { name: st.name, bytes: L.size, max, perCpu: pc }));
    return;
  }
  const c = arenaType(cx, st);
  addArrayMap(
    cx,
    st,
    {
      c,
      layout: {
        size: L.size,
        ctype: `struct ${cx.stateTag(st.name, "arena")}`,
        fields: [hostField("free", 4, 2, "u16"), hostField("used", 6, 2, "u16")],
      },
    },
    {
      structure: st.name,
      capacity: L.capacity,
      levels: L.levels,
      moves: L.moves,
      node_size: L.node,
      key_order: L.numeric ? "numeric" : "bytes",
      seed: `0x${structureSeed(st.name).toString(16).padStart(16, "0")}`,
      per_cpu: pc,
      layout: "nf_ord",
    },
  );
}

export const orderedLowering: BlockLowering = {
  declare,
  op(cx, st, e, args, out) {
    const span = e.span;
    const L = orderedLayout(st.params, st.key, st.value);
    const kt = cx.cty(st.key);
    const vt = cx.cty(valueTy(st));
    const u32 = (n: number) => int(n, C_U32, span);
    const geo = call(
      "NF_ORD_GEO",
      [
        L.capacity,
        L.levels,
        L.node,
        L.keySize,
        L.numeric ? 1 : 0,
        L.valueOff,
        L.valueSize,
        L.nextOff,
        perCpu(st) ? 0 : 1,
      ].map(u32),
      GEO,
      span,
    );
    const m = mapref(cx.mapSym(st.name), span);
    const key = (): IExpr => stackTemp(cx, kt, args[0]!, out, "key");
    switch (e.op) {
      case "get":
        return call("nf_ord_get", [m, geo, key(), cint(0, span)], ptrTo(vt), span);
      case "first_ge":
        return call("nf_ord_get", [m, geo, key(), cint(1, span)], ptrTo(kt), span);
      case "next":
        return call("nf_ord_get", [m, geo, key(), cint(2, span)], ptrTo(kt), span);
      case "contains":
        return call("nf_ord_contains", [m, geo, key()], C_BOOL, span);
      case "insert": {
        const k = key();
        const val = stackTemp(cx, vt, args[1]!, out, "val");
        return call("nf_ord_put", [m, geo, k, val, int(structureSeed(st.name), C_U64, span)], C_BOOL, span);
      }
      case "remove":
        return call("nf_ord_del", [m, geo, key()], C_BOOL, span);
      default:
        return bug(`unknown ordered operation \`${e.op}\``, span);
    }
  },
};
