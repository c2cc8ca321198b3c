// topk<K>(k, per_cpu) through runtime-kmod: the pure lowering's map and board (../topk.ts, the
// same bytes, so the interpreter needs no backend switch), with the key search done by the
// `nfc_rt_memcmp` kfunc, one call per occupied slot, in a bounded loop the program owns:
//   struct nf_<s>_topk *val = bpf_map_lookup_elem(&s, &idx);
//   if (val) {
//     __u32 slot = k;
//     for (__u32 i = 0; i < k; i++)
//       if (nf_topk_k_count(val, k, i) != 0 && nfc_rt_memcmp(nf_topk_k_key(val, k, ksz, i), ksz, &key, ksz) == 0) {
//         slot = i; break;
//       }
//     slot = nf_topk_k_found(val, k, slot);              // one bounded verifier state
//     r = nf_topk_k_add(val, k, ksz, &key, n, slot);     // count: nf_topk_k_count(val, k, slot)
//   }
// The minimum (a miss) is the stdlib's plain scan (no kfunc finds a minimum). Per-CPU boards only:
// see topkKmodRule.unfit. Helpers: stdlib/include/nf/topk_kmod.h.
import type { StateDecl } from "../../../lang/checked.js";
import { sizeOf } from "../../../lang/types.js";
import { assign, call, cmp, decl, int, v } from "../../ir/build.js";
import { C_INT, C_U32, C_VOID, ptrTo } from "../../ir/ctype.js";
import type { IExpr, IStmt } from "../../ir/ir.js";
import { bug } from "../../lower/context.js";
import { num, perCpu, stackTemp, type BlockLowering } from "../common.js";
import { u32Temp } from "../cuckoo.js";
import { lookupValue, whenPresent } from "../locked-value.js";
import { topkLowering, topkValue } from "../topk.js";

/**
 * compiler/backend/choice.ts rule. Measured (runtime-kmod/bench/topk.bpf.c under vm/icount.sh,
 * Linux 6.1 -cpu max, 16-byte keys, a hit in the last slot of a full board, per call incl. the
 * map lookup): the kfunc search never pays — pure 322 / 946 / 3445 guest instructions at
 * k = 16 / 64 / 256, kmod 909 / 3358 / 13161 (≈ 51 vs 13 per slot: a kfunc call per slot costs
 * more than the word-wise compare it replaces, and no kfunc finds the minimum) — so `auto` keeps
 * pure BPF at every k and `--runtime kmod` forces this lowering.
 */
export const topkKmodRule = {
  param: "k",
  threshold: Number.POSITIVE_INFINITY,
  pays: (_k: number, op: string): string => `${op}: key search by nfc_rt_memcmp per slot`,
  doesNotPay: (k: number): string =>
    `${k} slots: a kfunc call per slot costs more than the inline word compare (guest instructions per full-board hit, pure vs kmod: 16 slots 322 vs 909, 64 slots 946 vs 3358, 256 slots 3445 vs 13161; runtime-kmod/bench/topk.bpf.c icount); --runtime kmod forces it`,
  unfit: (st: StateDecl): string | undefined =>
    perCpu(st)
      ? undefined
      : `shared topk \`${st.name}\`: its search and update hold the board's bpf_spin_lock, under which no kfunc may be called (add per_cpu for the kmod lowering)`,
};

export const kmodTopkLowering: BlockLowering = {
  declare: (cx, st) => topkLowering.declare(cx, st),
  op(cx, st, e, args, out) {
    const span = e.span;
    if (!perCpu(st)) return bug(`kmod topk \`${st.name}\` is shared (choice.ts marks it unfit)`, span);
    const u32 = (n: number): IExpr => int(n, C_U32, span);
    const key = stackTemp(cx, cx.cty(st.key), args[0]!, out, "key");
    const k = num(st, "k");
    const ksz = sizeOf(st.key);
    let n: IExpr | undefined;
    switch (e.op) {
      case "add":
        n = u32Temp(cx, "n", args[1]!, out);
        break;
      case "count":
        break;
      default:
        return bug(`unknown operation \`topk.${e.op}\``, span);
    }
    const val = lookupValue(cx, st, topkValue(cx, st).c, u32(0), out, span);
    const res = cx.tmp("count");
    out.push(decl(res, C_U32, span, u32(0)));
    const slotName = cx.tmp("slot");
    const slot = v(slotName, C_U32, span);
    const i = cx.tmp("i");
    const iv = v(i, C_U32, span);
    const hit = cmp(
      "&&",
      cmp("!=", call("nf_topk_k_count", [val, u32(k), iv], C_U32, span), u32(0), span),
      cmp(
        "==",
        call(
          "nfc_rt_memcmp",
          [call("nf_topk_k_key", [val, u32(k), u32(ksz), iv], ptrTo(C_VOID), span), u32(ksz), key, u32(ksz)],
          C_INT,
          span,
        ),
        int(0, C_INT, span),
        span,
      ),
      span,
    );
    const search: IStmt = {
      kind: "loop",
      var: i,
      varTy: C_U32,
      lo: 0n,
      hi: BigInt(k),
      body: [
        { kind: "if", cond: hit, then: [assign(slot, iv, span), { kind: "break", span }], else: [], span },
      ],
      span,
    };
    const result =
      n === undefined
        ? call("nf_topk_k_count", [val, u32(k), slot], C_U32, span)
        : call("nf_topk_k_add", [val, u32(k), u32(ksz), key, n, slot], C_U32, span);
    // one bounded state for the verifier instead of k + 1 constant exits (stdlib/include/nf/topk_kmod.h)
    const found = assign(slot, call("nf_topk_k_found", [val, u32(k), slot], C_U32, span), span);
    const body: IStmt[] = [
      decl(slotName, C_U32, span, u32(k)),
      search,
      found,
      assign(v(res, C_U32, span), result, span),
    ];
    out.push(whenPresent(st, val, body, span));
    return v(res, C_U32, span);
  },
};
