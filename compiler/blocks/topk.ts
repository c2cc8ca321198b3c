// topk<K>(k) on the pure backend (stdlib/include/nf/topk.h): ONE entry of an ARRAY (shared) or
// PERCPU_ARRAY (per_cpu) map, family "store", value
//   struct nf_<s>_topk { lock | lock_unused; __u32 pad; __u32 cnt[k]; [__u32 pad2;] __u8 key[k][ksz]; }
// (lang/blocks/topk.ts topkLayout; the interpreter's mapBytes is the same bytes). One bounded pass
// over the slots compares keys word by word (stopping at the first difference; no hash) and takes
// the minimum count on the way; a miss then finds the first slot holding it:
//   s.add(k, n)   → r = 0; if (val) { [lock] r = nf_topk_add(val, k, ksz, unit, &key, n); [unlock] }
//   s.count(k)    → same with nf_topk_count
// Shared topk: the entry's bpf_spin_lock serialises the scan-and-replace (inlined, no calls inside).
import type { StateDecl } from "../../lang/checked.js";
import { topkLayout } from "../../lang/blocks/topk.js";
import { alignOf, sizeOf } from "../../lang/types.js";
import { assign, call, decl, int, v } from "../ir/build.js";
import { C_U32, type CType } from "../ir/ctype.js";
import type { IExpr, IStmt, Layout } from "../ir/ir.js";
import { bug, type Lowerer } from "../lower/context.js";
import { addArrayMap, num, perCpu, stackTemp, type BlockLowering } from "./common.js";
import { hostField, lockField, lookupValue, whenPresent } from "./locked-value.js";

/** The value struct of a topk, declared once per structure. */
export function topkValue(cx: Lowerer, st: StateDecl): { c: CType; layout: Layout } {
  const k = num(st, "k");
  const lay = topkLayout(k, st.key);
  const name = cx.stateTag(st.name, "topk");
  const lock = lockField(st);
  const tail = lay.size - (lay.key + lay.stride * k);
  const fields = [
    lock,
    { name: "pad", decl: "__u32 pad" },
    { name: "cnt", decl: `__u32 cnt[${k}]` },
    ...(lay.key > lay.cnt + 4 * k ? [{ name: "pad2", decl: "__u32 pad2" }] : []),
    { name: "key", decl: `__u8 key[${k}][${lay.stride}]` },
    ...(tail > 0 ? [{ name: "tail", decl: `__u8 tail[${tail}]` }] : []),
  ];
  cx.structs.set(name, { name, fields, packed: false, size: lay.size, span: st.span });
  const f = hostField;
  return {
    c: { kind: "struct", name, size: lay.size, align: 8 },
    layout: {
      size: lay.size,
      ctype: `struct ${name}`,
      fields: [
        f(lock.name, 0, 4, "u32"),
        f("pad", 4, 4, "u32"),
        f("cnt", lay.cnt, 4 * k, `u32[${k}]`),
        {
          name: "key",
          offset: lay.key,
          size: lay.stride * k,
          type: `bytes[${lay.stride * k}]`,
          order: "bytes" as const,
        },
      ],
    },
  };
}

/** 4 when keys compare as u32 words (size % 4 == 0, 4-byte aligned), else 1. */
export function keyUnit(st: StateDecl): number {
  return sizeOf(st.key) % 4 === 0 && alignOf(st.key) >= 4 ? 4 : 1;
}

function declare(cx: Lowerer, st: StateDecl): void {
  cx.cty(st.key);
  const val = topkValue(cx, st);
  addArrayMap(cx, st, val, {
    structure: st.name,
    k: num(st, "k"),
    key_size: sizeOf(st.key),
    key_offset: topkLayout(num(st, "k"), st.key).key,
    per_cpu: perCpu(st),
  });
}

/** `__u32 n_X = expr;` → n_X (so a helper call in the argument runs outside the lock). */
function tempOf(cx: Lowerer, x: IExpr, out: IStmt[]): IExpr {
  if (x.kind === "int" || x.kind === "var") return x;
  const name = cx.tmp("n");
  out.push(decl(name, C_U32, x.span, x));
  return v(name, C_U32, x.span);
}

export const topkLowering: BlockLowering = {
  declare,
  op(cx, st, e, args, out) {
    const span = e.span;
    const key = stackTemp(cx, cx.cty(st.key), args[0]!, out, "key");
    const ksz = sizeOf(st.key);
    const val = lookupValue(cx, st, topkValue(cx, st).c, int(0, C_U32, span), out, span);
    const res = cx.tmp("count");
    out.push(decl(res, C_U32, span, int(0, C_U32, span)));
    const geo: IExpr[] = [
      val,
      int(num(st, "k"), C_U32, span),
      int(ksz, C_U32, span),
      int(keyUnit(st), C_U32, span),
      key,
    ];
    let fn: string;
    switch (e.op) {
      case "add":
        fn = "nf_topk_add";
        // evaluated before the lock is taken: no helper calls may run while it is held
        geo.push(tempOf(cx, args[1]!, out));
        break;
      case "count":
        fn = "nf_topk_count";
        break;
      default:
        return bug(`unknown operation \`topk.${e.op}\``, span);
    }
    const body: IStmt[] = [assign(v(res, C_U32, span), call(fn, geo, C_U32, span), span)];
    out.push(whenPresent(st, val, body, span));
    return v(res, C_U32, span);
  },
};
