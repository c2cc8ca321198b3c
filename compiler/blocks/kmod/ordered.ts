// ordered<K, V>(capacity) through runtime-kmod's memory wrapper (nfc_runtime.h nfc_rt_mem /
// nfc_rt_node, ABI 3): the same skip list as the pure arena (levels, key order, the 32-moves
// budget: the same operations give up), kept as linked nodes in ONE container created on first
// use and held as a referenced kptr in an ARRAY (PERCPU_ARRAY with per_cpu) value, map family
// "opaque" (the difftest cannot read kernel objects):
//   struct nf_ordk_holder { struct nfc_rt_mem __nfc_kptr *m; __u64 made; };  (stdlib nf/ordered_kmod.h)
// Container: data = key at 0, value at voff (the pure node's offsets); edges = levels; max_nodes =
// capacity + 1 (the head sentinel is a node). Every op is one stdlib call with the pure geometry:
//   get(k)      → nf_ordk_get(&m, geo, &k, 0, &out) ? &out : NULL   (a stack COPY of the value)
//   first_ge(k) → nf_ordk_get(.., 1, &out), next(k) → (.., 2, &out) (a copy of the key)
//   contains(k) → nf_ordk_get(.., 3, &out)
//   insert(k,v) → nf_ordk_put_kv(&m, geo, &k, &v, seed)   remove(k) → nf_ordk_del(&m, geo, &k)
// Each takes the container out with bpf_kptr_xchg and puts it back; a shared table's op that
// finds it out (another CPU mid-operation) reads none / writes false (docs/blocks/ordered.md).
import type { StateDecl } from "../../../lang/checked.js";
import { orderedLayout } from "../../../lang/blocks/ordered.js";
import { structureSeed } from "../../../lang/hash.js";
import { U32 } from "../../../lang/types.js";
import { addr, call, cint, cond, decl, int, mapref, v } from "../../ir/build.js";
import { C_BOOL, C_U32, C_U64, ptrTo, type CType } from "../../ir/ctype.js";
import type { IExpr } from "../../ir/ir.js";
import { bug } from "../../lower/context.js";
import { addMap, perCpu, stackTemp, type BlockLowering } from "../common.js";

const HOLDER: CType = { kind: "struct", name: "nf_ordk_holder", size: 16, align: 8 };
const GEO: CType = { kind: "opaque", name: "struct nf_ord_geo" };

/** nfc_rt_mem_new's bound: 32 + 8·nedges + data_size ≤ 1024 (NFC_RT_MEM_MAX_NODE). */
const MEM_NODE_MAX = 1024;

/** The container's node data bytes (key, value at the pure node's offsets). */
export function kmodOrderedData(st: StateDecl): number {
  const L = orderedLayout(st.params, st.key, st.value);
  return L.valueOff + L.valueSize;
}

/**
 * Most levels the kmod walk is accepted with. Every move of a walk is verified separately (33 per
 * level), and Linux 6.1's verifier (it prunes a state holding references only when the reference
 * ids are identical) multiplies paths across levels and across ops in sequence. Measured in the
 * VM tier: examples/kv_store (capacity 16, 4 levels, ops in separate match arms) loads on 6.1 and
 * 6.12; a per-CPU ip4 table with 4 ops in sequence loads on 6.12 at 4 and 6 levels but exceeds
 * 6.1's 1M instructions even at 4; ordered_keys (6-9 levels) exceeds it on both; a 9-level walk
 * alone (runtime-kmod/bench) exceeds it on 6.1. So: at most 4 levels (capacity 16), and a program
 * with several ops in sequence may still be refused by 6.1 (docs/blocks/ordered.md).
 */
export const KMOD_ORDERED_MAX_LEVELS = 4;

function orderedUnfit(st: StateDecl): string | undefined {
  const L = orderedLayout(st.params, st.key, st.value);
  if (L.levels > KMOD_ORDERED_MAX_LEVELS)
    return `capacity ${L.capacity} (${L.levels} levels): the kmod skip-list walk verifies within the 1M-instruction limit only up to ${KMOD_ORDERED_MAX_LEVELS} levels (capacity 16)`;
  const bytes = 32 + 8 * L.levels + kmodOrderedData(st);
  return bytes > MEM_NODE_MAX
    ? `a node of ${bytes} bytes (key + value + ${L.levels} edges) exceeds nfc_rt_mem_new's ${MEM_NODE_MAX}-byte node`
    : undefined;
}

/**
 * compiler/backend/choice.ts rule. Measured (runtime-kmod/bench/ordered.bpf.c under vm/icount.sh,
 * Linux 6.1 -cpu max, ordered<u64, u64>(capacity = 16, per_cpu), per op): get pure 168 / 213 / 241
 * vs kmod 1479 / 1902 / 2220 guest instructions at 4 / 8 / 15 keys; insert + remove of a fresh key
 * pure 579 / 695 / 749 vs kmod 7684 / 10016 / 11160. Every move is ~5 kfunc calls (slot, follow,
 * key load, releases, park) where the pure arena walk is a few loads, and insert/remove walk twice:
 * kmod never pays, so `auto` keeps pure and `--runtime kmod` forces the lowering.
 */
export const orderedKmodRule = {
  param: "capacity",
  threshold: Number.POSITIVE_INFINITY,
  pays: (_c: number, op: string): string => `${op}: skip list of nfc_rt_mem nodes`,
  doesNotPay: (c: number): string =>
    `capacity ${c}: each search move costs ~5 kfunc calls where the pure arena walk is a few loads (guest instructions per get, pure vs kmod: 241 vs 2220 at 15 keys; insert + remove 749 vs 11160; runtime-kmod/bench/ordered.bpf.c icount); --runtime kmod forces it`,
  unfit: orderedUnfit,
};

export const kmodOrderedLowering: BlockLowering = {
  declare(cx, st) {
    const pc = perCpu(st);
    const L = orderedLayout(st.params, st.key, st.value);
    cx.cty(st.key);
    if (st.value) cx.cty(st.value);
    addMap(cx, st.name, st, {
      kind: st.kind,
      family: "opaque",
      mapType: pc ? "BPF_MAP_TYPE_PERCPU_ARRAY" : "BPF_MAP_TYPE_ARRAY",
      key: C_U32,
      keyTy: U32,
      value: HOLDER,
      valueTy: U32,
      valueLayout: { size: 16, ctype: "struct nf_ordk_holder", fields: [] },
      maxEntries: 1,
      perCpu: pc,
      params: {
        structure: st.name,
        capacity: L.capacity,
        levels: L.levels,
        moves: L.moves,
        data_size: kmodOrderedData(st),
        key_order: L.numeric ? "numeric" : "bytes",
        seed: `0x${structureSeed(st.name).toString(16).padStart(16, "0")}`,
        per_cpu: pc,
        layout: "kmod_mem_skiplist",
      },
    });
  },

  op(cx, st, e, args, out) {
    const span = e.span;
    const L = orderedLayout(st.params, st.key, st.value);
    const kt = cx.cty(st.key);
    const vt = cx.cty(st.value ?? bug(`ordered table \`${st.name}\` without a value type`, st.span));
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
    /** `nf_ordk_get(.., mode, &tmp) ? &tmp : NULL` with a zeroed stack temp of type `t`. */
    const copyOut = (mode: number, t: CType): IExpr => {
      const k = key();
      const o = cx.tmp(mode === 0 ? "val" : "okey");
      out.push(decl(o, t, span, undefined, true));
      const dst = addr(v(o, t, span), span);
      const f = cx.tmp("found");
      out.push(decl(f, C_BOOL, span, call("nf_ordk_get", [m, geo, k, cint(mode, span), dst], C_BOOL, span)));
      return cond(v(f, C_BOOL, span), dst, { kind: "var", name: "NULL", ty: ptrTo(t), span }, ptrTo(t), span);
    };
    switch (e.op) {
      case "get":
        return copyOut(0, vt);
      case "first_ge":
        return copyOut(1, kt);
      case "next":
        return copyOut(2, kt);
      case "contains": {
        const k = key();
        const o = cx.tmp("unused");
        out.push(decl(o, C_U64, span, undefined, true));
        return call("nf_ordk_get", [m, geo, k, cint(3, span), addr(v(o, C_U64, span), span)], C_BOOL, span);
      }
      case "insert": {
        const k = key();
        const val = stackTemp(cx, vt, args[1]!, out, "val");
        return call(
          "nf_ordk_put_kv",
          [m, geo, k, val, int(structureSeed(st.name), C_U64, span)],
          C_BOOL,
          span,
        );
      }
      case "remove":
        return call("nf_ordk_del", [m, geo, key()], C_BOOL, span);
      default:
        return bug(`unknown ordered operation \`${e.op}\``, span);
    }
  },
};
