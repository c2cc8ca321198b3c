// fifo<T>(capacity) and pq<T>(priorities, capacity) through runtime-kmod's list buckets
// (nfc_runtime.h, ABI 3): the queue is ONE `struct nfc_rt_lists` object — fifo = 1 list, pq =
// `priorities` lists sharing one pool of `capacity` slots (full = capacity elements over all
// ranks, as the interpreter) — created on first use and kept as a referenced kptr in an ARRAY
// (PERCPU_ARRAY with per_cpu) value, map family "opaque" (the difftest cannot read kernel objects):
//   struct nf_<q>_kq { struct nfc_rt_lists __nfc_kptr *l; __u64 made; };  (u64: cmpxchg at -mcpu=v2)
// Every operation takes the object out, calls one kfunc, and puts it back:
//   kq = lookup(q, 0); l = NULL; r = <none>;
//   if (kq) {
//     l = bpf_kptr_xchg(&kq->l, NULL);
//     if (!l && __sync_val_compare_and_swap(&kq->made, 0, 1) == 0) {    // first use only
//       l = nfc_rt_lists_new(NLISTS, sizeof(T), C);
//       if (!l) kq->made = 0;                                          // retry next packet
//     }
//     if (l) { r = <kfunc>(l, ...); l = bpf_kptr_xchg(&kq->l, l); if (l) nfc_rt_lists_release(l); }
//   }
//   q.push(v) / q.push(rank, v) → nfc_rt_lists_push(l, 0 | rank, &v, sizeof v) == 0
//   q.pop()                     → nfc_rt_lists_pop(l, 0, &out, sizeof out) == 0 ? &out : NULL
//   q.pop_min()                 → nfc_rt_lists_pop_first(l, 0, P, &out, sizeof out) >= 0 ? &out : NULL
//   q.len()                     → (__u32)nfc_rt_lists_len(l, NFC_RT_LISTS_ALL)
// `made` keeps a second CPU from creating a second object while the first one is out: a shared
// queue's operation that finds the object taken by another CPU acts as on a full / empty queue
// (documented in docs/blocks/{fifo,pq}.md; per_cpu never sees it). A kptr loaded without the xchg
// is untrusted on 6.1 and 6.12, so the object cannot be used in place.
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
import { fifoLayout } from "../../../lang/blocks/fifo.js";
import { pqLayout } from "../../../lang/blocks/pq.js";
import { addr, assign, bool, call, cast, cmp, cond, decl, deref, int, member, v } from "../../ir/build.js";
import { C_BOOL, C_U32, C_U64, ptrTo, type CType } from "../../ir/ctype.js";
import type { IExpr, IStmt } from "../../ir/ir.js";
import { bug } from "../../lower/context.js";
import { num, stackTemp, type BlockLowering } from "../common.js";
import { lookupValue } from "../locked-value.js";

/** Lists, element bytes and capacity of the structure's list object. */
export function kmodQueueShape(st: StateDecl): { nlists: number; elem: number; capacity: number } {
  if (st.kind === "fifo") {
    const L = fifoLayout(st.params, st.key);
    return { nlists: 1, elem: L.elem, capacity: L.capacity };
  }
  if (st.kind === "pq") {
    const L = pqLayout(st.params, st.key);
    return { nlists: L.priorities, elem: L.elem, capacity: L.capacity };
  }
  return bug(`not a queue kind \`${st.kind}\``, st.span);
}

/** nfc_rt_lists_new's size for this queue (lists-holder.ts listsBytes). */
export function kmodQueueBytes(st: StateDecl): number {
  return listsBytes(kmodQueueShape(st));
}

const HOLDER: ListsHolder = { suffix: "_kq", next: { name: "made", decl: "__u64 made" }, size: 16 };

export const kmodQueueLowering: BlockLowering = {
  declare(cx, st) {
    const s = kmodQueueShape(st);
    declareHolder(cx, st, HOLDER, {
      nlists: s.nlists,
      elem_size: s.elem,
      capacity: s.capacity,
      layout: "kmod_lists_kptr",
    });
  },

  op(cx, st, e, args, out) {
    const span = e.span;
    const u32 = (n: number) => int(n, C_U32, span);
    const s = kmodQueueShape(st);
    const elem = cx.cty(st.key);
    const kq = lookupValue(cx, st, holderType(cx, st, HOLDER), u32(0), out, span);
    const made = member(deref(kq, span), "made", C_U64, span);
    const nul = (t: CType): IExpr => ({ kind: "var", name: "NULL", ty: t, span });
    const lName = cx.tmp("lists");
    const l = v(lName, LISTS, span);
    out.push(decl(lName, LISTS, span, nul(LISTS)));

    /** The take-out / create / call / put-back sequence around `body` (which uses `l`). */
    const withObject = (body: IStmt[]): void =>
      withListsObject({ holder: kq, l, made, shape: s }, body, out, span);
    /** `ok = kfunc(...) <test>` inside withObject; returns `ok`. */
    const okOf = (test: (r: IExpr) => IExpr): IExpr => {
      const okName = cx.tmp("ok");
      const ok = v(okName, C_BOOL, span);
      out.push(decl(okName, C_BOOL, span, bool(false, span)));
      withObject([assign(ok, test(l), span)]);
      return ok;
    };
    const popInto = (kcall: (dst: IExpr) => IExpr, success: (r: IExpr) => IExpr): IExpr => {
      const o = cx.tmp("elem");
      out.push(decl(o, elem, span, undefined, true));
      const dst = addr(v(o, elem, span), span);
      const got = okOf(() => success(kcall(dst)));
      return cond(got, dst, nul(ptrTo(elem)), ptrTo(elem), span);
    };
    const push = (list: IExpr, value: IExpr): IExpr => {
      const tmp = stackTemp(cx, elem, value, out, "elem");
      return okOf(() =>
        cmp("==", call("nfc_rt_lists_push", [l, list, tmp, u32(s.elem)], S32, span), ZERO_INT(span), span),
      );
    };
    switch (`${st.kind}.${e.op}`) {
      case "fifo.push":
        return push(u32(0), args[0]!);
      case "pq.push":
        return push(cx.hoist(args[0]!, out), args[1]!);
      case "fifo.pop":
        return popInto(
          (dst) => call("nfc_rt_lists_pop", [l, u32(0), dst, u32(s.elem)], S32, span),
          (r) => cmp("==", r, ZERO_INT(span), span),
        );
      case "pq.pop_min":
        return popInto(
          (dst) =>
            call(
              "nfc_rt_lists_pop_first",
              [l, u32(0), u32(num(st, "priorities")), dst, u32(s.elem)],
              S32,
              span,
            ),
          (r) => cmp(">=", r, ZERO_INT(span), span),
        );
      case "fifo.len":
      case "pq.len": {
        const n = cx.tmp("len");
        out.push(decl(n, C_U32, span, u32(0)));
        withObject([
          assign(
            v(n, C_U32, span),
            cast(call("nfc_rt_lists_len", [l, v("NFC_RT_LISTS_ALL", C_U32, span)], C_U64, span), C_U32, span),
            span,
          ),
        ]);
        return v(n, C_U32, span);
      }
      default:
        return bug(`no kmod lowering for \`${st.kind}.${e.op}\``, span);
    }
  },
};

function queueUnfit(st: StateDecl): string | undefined {
  const bytes = kmodQueueBytes(st);
  return bytes > MAX_LIST_BYTES
    ? `${bytes} bytes of lists and slots exceed nfc_rt_lists_new's ${MAX_LIST_BYTES}-byte object`
    : undefined;
}

/** compiler/backend/choice.ts KMOD_RULES entries. Guest instruction counts per push + pop, 6.1 -cpu max
 *  (runtime-kmod/bench/pq.bpf.c via vm/icount.sh): pq 64 ranks pure 301 / kmod 430, fifo pure 233 /
 *  kmod 394 — the two bpf_kptr_xchg per operation and the kfunc's irqsave lock cost more than the
 *  pure cFFS / ring, so `auto` keeps queues pure; `--runtime kmod` forces the list object. */
export const pqKmodRule = {
  param: "priorities",
  threshold: Number.POSITIVE_INFINITY,
  pays: () => "never chosen by auto",
  doesNotPay: (p: number) =>
    `${p} rank(s): push + pop_min cost 430 guest instructions through the list object vs 301 pure at 64 ranks (two kptr exchanges + a locked kfunc per operation; runtime-kmod/bench/pq.bpf.c); use --runtime kmod to force it`,
  unfit: queueUnfit,
};

export const fifoKmodRule = {
  param: "capacity",
  threshold: Number.POSITIVE_INFINITY,
  pays: () => "never chosen by auto",
  doesNotPay: () =>
    "push + pop cost 394 guest instructions through the list object vs 233 for the pure ring (runtime-kmod/bench/pq.bpf.c); use --runtime kmod to force it",
  unfit: queueUnfit,
};
