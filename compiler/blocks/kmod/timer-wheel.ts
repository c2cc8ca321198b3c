// timer_wheel<T>(slots, tick_ns, capacity) through runtime-kmod's list buckets (nfc_runtime.h,
// ABI 3): the wheel's slots are the `slots` lists of ONE `struct nfc_rt_lists` object (one pool of
// `capacity` elements; full = capacity elements over all slots, as the interpreter), created on
// first use and kept as a referenced kptr in an ARRAY (PERCPU_ARRAY with per_cpu) value next to
// the cursor and count (stdlib nf/wheel.h `struct nf_wheel_k`), map family "opaque":
//   struct nf_<q>_kw { struct nfc_rt_lists __nfc_kptr *l; struct nf_wheel_k k; };
// Every operation but len() takes the object out, works, and puts it back (as compiler/blocks/kmod/
// queues.ts); holding the object is what serialises a shared wheel's cursor and count:
//   kw = lookup(q, 0); l = NULL;
//   if (kw) {
//     l = bpf_kptr_xchg(&kw->l, NULL);
//     if (!l && __sync_val_compare_and_swap(&kw->k.made, 0, 1) == 0) {   // first use only
//       l = nfc_rt_lists_new(S, sizeof(T), C);
//       if (!l) kw->k.made = 0;                                         // retry next packet
//     }
//     if (l) { <body>; l = bpf_kptr_xchg(&kw->l, l); if (l) nfc_rt_lists_release(l); }
//   }
//   schedule(at, v): slot = nf_wheel_k_slot(&kw->k, S, TICK, C, at);
//                    ok = slot >= 0 && nfc_rt_lists_push(l, slot, &v, sizeof v) == 0; if (ok) kw->k.len++;
//   pop_due(now):    r = nfc_rt_lists_pop_first(l, (__u32)kw->k.base & (S-1), nf_wheel_k_due(&kw->k, S, TICK, now),
//                                                &out, sizeof out);
//                    nf_wheel_k_popped(&kw->k, S, TICK, now, r); the option is `r >= 0 ? &out : NULL`
//   len():           kw ? kw->k.len : 0 (a plain read)
// pop_first searches the due slots from the cursor's, wrapping, with the object's bitmap: the first
// non-empty one is the interpreter's "earliest slot, if due" (docs/blocks/timer_wheel.md).
import {
  declareHolder,
  holderType,
  LISTS,
  listsBytes,
  MAX_LIST_BYTES,
  S32,
  withListsObject,
  ZERO_INT,
  type ListsHolder,
} from "./lists-holder.js";
import type { StateDecl } from "../../../lang/checked.js";
import {
  addr,
  assign,
  bin,
  bool,
  call,
  cast,
  cmp,
  cond,
  decl,
  deref,
  evalStmt,
  ifStmt,
  int,
  member,
  v,
} from "../../ir/build.js";
import { C_BOOL, C_U32, C_U64, C_VOID, ptrTo, type CType } from "../../ir/ctype.js";
import type { IExpr, IStmt } from "../../ir/ir.js";
import { bug } from "../../lower/context.js";
import { num, stackTemp, type BlockLowering } from "../common.js";
import { lookupValue } from "../locked-value.js";
import { wheelLayout } from "../../../lang/blocks/timer-wheel.js";

const NF_WHEEL_K: CType = { kind: "struct", name: "nf_wheel_k", size: 24, align: 8 };

/** nfc_rt_lists_new's size for this wheel (lists-holder.ts listsBytes). */
export function kmodWheelBytes(st: StateDecl): number {
  const L = wheelLayout(st.params, st.key);
  return listsBytes({ nlists: L.slots, elem: L.elem, capacity: L.capacity });
}

const HOLDER: ListsHolder = { suffix: "_kw", next: { name: "k", decl: "struct nf_wheel_k k" }, size: 32 };

export const kmodTimerWheelLowering: BlockLowering = {
  declare(cx, st) {
    const L = wheelLayout(st.params, st.key);
    declareHolder(cx, st, HOLDER, {
      nlists: L.slots,
      elem_size: L.elem,
      capacity: L.capacity,
      tick_ns: num(st, "tick_ns"),
      layout: "kmod_wheel_kptr",
    });
  },

  op(cx, st, e, args, out) {
    const span = e.span;
    const u32 = (n: number) => int(n, C_U32, span);
    const L = wheelLayout(st.params, st.key);
    const elem = cx.cty(st.key);
    const kw = lookupValue(cx, st, holderType(cx, st, HOLDER), u32(0), out, span);
    const k = member(deref(kw, span), "k", NF_WHEEL_K, span);
    const kp = addr(k, span);
    const nul = (t: CType): IExpr => ({ kind: "var", name: "NULL", ty: t, span });
    const geo = [u32(L.slots), int(BigInt(num(st, "tick_ns")), C_U64, span)];
    if (e.op === "len")
      return cond(cmp("!=", kw, nul(kw.ty), span), member(k, "len", C_U32, span), u32(0), C_U32, span);

    const lName = cx.tmp("lists");
    const l = v(lName, LISTS, span);
    /** The take-out / create / body / put-back sequence (body uses `l`). */
    const withObject = (body: IStmt[]): void => {
      out.push(decl(lName, LISTS, span, nul(LISTS)));
      const made = member(k, "made", C_U64, span);
      withListsObject(
        { holder: kw, l, made, shape: { nlists: L.slots, elem: L.elem, capacity: L.capacity } },
        body,
        out,
        span,
      );
    };
    const okName = cx.tmp("ok");
    const ok = v(okName, C_BOOL, span);
    switch (e.op) {
      case "schedule": {
        const at = cx.hoist(args[0]!, out);
        const val = stackTemp(cx, elem, args[1]!, out, "elem");
        out.push(decl(okName, C_BOOL, span, bool(false, span)));
        const sName = cx.tmp("slot");
        const s = v(sName, S32, span);
        withObject([
          decl(sName, S32, span, call("nf_wheel_k_slot", [kp, ...geo, u32(L.capacity), at], S32, span)),
          assign(
            ok,
            bin(
              "&&",
              cmp(">=", s, ZERO_INT(span), span),
              cmp(
                "==",
                call("nfc_rt_lists_push", [l, cast(s, C_U32, span), val, u32(L.elem)], S32, span),
                ZERO_INT(span),
                span,
              ),
              C_BOOL,
              span,
            ),
            span,
          ),
          ifStmt(
            ok,
            [
              assign(
                member(k, "len", C_U32, span),
                bin("+", member(k, "len", C_U32, span), u32(1), C_U32, span),
                span,
              ),
            ],
            [],
            span,
          ),
        ]);
        return ok;
      }
      case "pop_due": {
        const now = cx.hoist(args[0]!, out);
        const o = cx.tmp("elem");
        out.push(decl(o, elem, span, undefined, true));
        const dst = addr(v(o, elem, span), span);
        out.push(decl(okName, C_BOOL, span, bool(false, span)));
        const rName = cx.tmp("popped");
        const r = v(rName, S32, span);
        const from = bin(
          "&",
          cast(member(k, "base", C_U64, span), C_U32, span),
          u32(L.slots - 1),
          C_U32,
          span,
        );
        const due = call("nf_wheel_k_due", [kp, ...geo, now], C_U32, span);
        withObject([
          decl(rName, S32, span, call("nfc_rt_lists_pop_first", [l, from, due, dst, u32(L.elem)], S32, span)),
          evalStmt(call("nf_wheel_k_popped", [kp, ...geo, now, r], C_VOID, span), span),
          assign(ok, cmp(">=", r, ZERO_INT(span), span), span),
        ]);
        return cond(ok, dst, nul(ptrTo(elem)), ptrTo(elem), span);
      }
      default:
        return bug(`no kmod lowering for \`timer_wheel.${e.op}\``, span);
    }
  },
};

/** compiler/backend/choice.ts KMOD_RULES entry (numbers: runtime-kmod/bench/timer_wheel.bpf.c, vm/icount.sh). */
export const timerWheelKmodRule = {
  param: "slots",
  threshold: Number.POSITIVE_INFINITY,
  pays: () => "never chosen by auto",
  doesNotPay: () =>
    "pop_due + schedule cost 419-453 guest instructions through the list object (two kptr exchanges + one kfunc per operation) against 265-303 for the pure wheel's cFFS search in one map value (runtime-kmod/bench/timer_wheel.bpf.c, vm/icount.sh on 6.1 and 6.12, 64 and 512 slots); --runtime kmod forces it",
  unfit: (st: StateDecl): string | undefined => {
    const bytes = kmodWheelBytes(st);
    return bytes > MAX_LIST_BYTES
      ? `${bytes} bytes of lists and elements exceed nfc_rt_lists_new's ${MAX_LIST_BYTES}-byte object`
      : undefined;
  },
};
