// What the kmod queues and the timer wheel (fifo, pq, timer_wheel) share: the map value their
// runtime-kmod list object lives in — `struct nf_<name>_<suffix> { struct nfc_rt_lists
// __nfc_kptr *l; <next>; }`, ONE entry of an ARRAY (PERCPU_ARRAY with per_cpu) map, family
// "opaque" (the object lives in the kernel: the differential cannot read it) — the object's size
// bound, and the take-out / create-once / use / put-back sequence around each kfunc call:
//     l = bpf_kptr_xchg(&h->l, NULL);
//     if (!l && __sync_val_compare_and_swap(&made, 0, 1) == 0) {    // first use only
//       l = nfc_rt_lists_new(NLISTS, ELEM, CAPACITY);
//       if (!l) made = 0;                                           // retry next packet
//     }
//     if (l) { <body>; l = bpf_kptr_xchg(&h->l, l); if (l) nfc_rt_lists_release(l); }
import type { StateDecl } from "../../../lang/checked.js";
import { U32 } from "../../../lang/types.js";
import { addr, assign, bin, call, cmp, deref, evalStmt, ifStmt, int, member, not } from "../../ir/build.js";
import { C_BOOL, C_U32, C_U64, C_VOID, ptrTo, type CType } from "../../ir/ctype.js";
import type { IExpr, IStmt } from "../../ir/ir.js";
import type { Lowerer } from "../../lower/context.js";
import { addMap, perCpu } from "../common.js";

export const LISTS: CType = ptrTo({ kind: "opaque", name: "struct nfc_rt_lists" });
export const S32: CType = { kind: "opaque", name: "__s32" };
/** A plain `0` literal (int): a signed kfunc result compared with it stays a signed compare. */
export const ZERO_INT = (span: IExpr["span"]): IExpr => ({ kind: "var", name: "0", ty: S32, span });

/** NFC_RT_LISTS_MAX_BYTES: nfc_rt_lists_new's one GFP_ATOMIC allocation. */
export const MAX_LIST_BYTES = 1 << 20;

/** The list object's shape: lists, element bytes, elements over all lists. */
export interface ListsShape {
  nlists: number;
  elem: number;
  capacity: number;
}

/** nfc_rt_lists_new's size: nlists * 12 + capacity * (elem + 4, 4-aligned) (nfc_runtime.h). */
export function listsBytes(s: ListsShape): number {
  return s.nlists * 12 + s.capacity * (Math.ceil((s.elem + 4) / 4) * 4);
}

/**
 * Appends the take-out / create-once / body / put-back sequence (file comment) to `out`.
 * `holder` is the looked-up value pointer (NULL-tested here), `l` the caller's `struct
 * nfc_rt_lists *` local (initialised to NULL), `made` the holder's u64 create-once flag.
 */
export function withListsObject(
  o: { holder: IExpr; l: IExpr; made: IExpr; shape: ListsShape },
  body: IStmt[],
  out: IStmt[],
  span: IExpr["span"],
): void {
  const { holder, l, made, shape } = o;
  const u32 = (n: number) => int(n, C_U32, span);
  const u64 = (n: number) => int(n, C_U64, span);
  const slot = addr(member(deref(holder, span), "l", LISTS, span), span);
  const nul: IExpr = { kind: "var", name: "NULL", ty: LISTS, span };
  const claim = cmp(
    "==",
    call("__sync_val_compare_and_swap", [addr(made, span), u64(0), u64(1)], C_U64, span),
    u64(0),
    span,
  );
  const create: IStmt[] = [
    assign(
      l,
      call("nfc_rt_lists_new", [u32(shape.nlists), u32(shape.elem), u32(shape.capacity)], LISTS, span),
      span,
    ),
    ifStmt(not(l, span), [assign(made, u64(0), span)], [], span),
  ];
  const use: IStmt[] = [
    ...body,
    assign(l, call("bpf_kptr_xchg", [slot, l], LISTS, span), span),
    ifStmt(l, [evalStmt(call("nfc_rt_lists_release", [l], C_VOID, span), span)], [], span),
  ];
  out.push(
    ifStmt(
      holder,
      [
        assign(l, call("bpf_kptr_xchg", [slot, nul], LISTS, span), span),
        ifStmt(bin("&&", not(l, span), claim, C_BOOL, span), create, [], span),
        ifStmt(l, use, [], span),
      ],
      [],
      span,
    ),
  );
}

export interface ListsHolder {
  /** Struct name suffix: `_kq`, `_kw`. */
  suffix: string;
  /** The member after the kptr, and the struct's size with it. */
  next: { name: string; decl: string };
  size: number;
}

/** Registers the holder struct; returns its C type. */
export function holderType(cx: Lowerer, st: StateDecl, h: ListsHolder): CType {
  const name = cx.stateTag(st.name, h.suffix.slice(1));
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
    valueLayout: { size: h.size, ctype: `struct ${cx.stateTag(st.name, h.suffix.slice(1))}`, fields: [] },
    maxEntries: 1,
    perCpu: pc,
    params: { structure: st.name, ...params, per_cpu: pc },
  });
}
