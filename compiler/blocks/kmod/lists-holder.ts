// The map value a kmod queue or wheel keeps its runtime-kmod list object in (fifo, pq,
// timer_wheel): `struct <nf>_<name>_<suffix> { struct nfc_rt_lists __nfc_kptr *l; <next>; }`,
// ONE entry of an ARRAY (PERCPU_ARRAY with per_cpu) map, family "opaque" (the object lives in the
// kernel: the differential cannot read it). The lowerings take the object out with bpf_kptr_xchg
// and put it back around each kfunc call.
import type { StateDecl } from "../../../lang/checked.js";
import { U32 } from "../../../lang/types.js";
import { C_U32, type CType } from "../../ir/ctype.js";
import type { Lowerer } from "../../lower/context.js";
import { addMap, perCpu } from "../common.js";

export interface ListsHolder {
  /** Struct name suffix: `_kq`, `_kw`. */
  suffix: string;
  /** The member after the kptr, and the struct's size with it. */
  next: { name: string; decl: string };
  size: number;
}

/** Registers the holder struct; returns its C type. */
export function holderType(cx: Lowerer, st: StateDecl, h: ListsHolder): CType {
  const name = `${cx.nf}_${st.name}${h.suffix}`;
  cx.structs.set(name, {
    name,
    fields: [{ name: "l", decl: "struct nfc_rt_lists __nfc_kptr *l" }, h.next],
    packed: false,
    size: h.size,
    span: st.span,
  });
  return { kind: "struct", name, size: h.size, align: 8 };
}

/** Declares the structure's one-entry holder map; `params` describe the list object's shape. */
export function declareHolder(
  cx: Lowerer,
  st: StateDecl,
  h: ListsHolder,
  params: Record<string, number | boolean | string>,
): void {
  const c = holderType(cx, st, h);
  const pc = perCpu(st);
  cx.cty(st.key);
  addMap(cx, st.name, st, {
    kind: st.kind,
    family: "opaque",
    mapType: pc ? "BPF_MAP_TYPE_PERCPU_ARRAY" : "BPF_MAP_TYPE_ARRAY",
    key: C_U32,
    keyTy: U32,
    value: c,
    valueTy: U32,
    valueLayout: { size: h.size, ctype: `struct ${cx.nf}_${st.name}${h.suffix}`, fields: [] },
    maxEntries: 1,
    perCpu: pc,
    params: { structure: st.name, ...params, per_cpu: pc },
  });
}
