// fifo<T>(capacity) and pq<T>(priorities, capacity) for the bpf runtime: ONE ARRAY entry
// (PERCPU_ARRAY with per_cpu) holding the whole queue, map family "store", byte layout =
// lang/blocks/fifo.ts fifoLayout / lang/blocks/pq.ts pqLayout (the interpreter's mapBytes):
//   struct nf_<q>_fifo { struct bpf_spin_lock lock; struct nf_fifo_hdr hdr; __u32 _pad; T elem[C]; }
//   struct nf_<q>_pq   { struct bpf_spin_lock lock; struct nf_pq_hdr hdr;
//                          __u32 head[P], tail[P], next[C]; __u64 bm[W]; T elem[C]; }
// A shared queue runs each helper (stdlib nf/queue.h: no helper calls inside) between
// bpf_spin_lock/unlock on the value's lock; per_cpu has an unused u32 in its place and no lock.
//   q.push(v)          → ok = false; if (val) { lock; ok = nf_fifo_push(&val->hdr, val->elem, sizeof(T), C, &v); unlock; }
//   q.push(rank, v)    → same with nf_pq_push(&val->hdr, val->head, val->tail, val->next, val->bm, val->elem, ...)
//   q.pop() / pop_min  → T out = {}; got = nf_*_pop*(..., &out) under the lock; the option is got ? &out : NULL
//   q.len()            → val ? val->hdr.len : 0 (a plain u32 read, no lock)
import type { StateDecl } from "../../lang/checked.js";
import { fifoLayout } from "../../lang/blocks/fifo.js";
import { pqLayout } from "../../lang/blocks/pq.js";
import { addr, assign, bool, call, cmp, cond, decl, deref, int, member, v } from "../ir/build.js";
import { C_BOOL, C_U32, cName, ptrTo, type CType } from "../ir/ctype.js";
import type { IExpr, Layout } from "../ir/ir.js";
import { bug, type Lowerer } from "../lower/context.js";
import { addArrayMap, num, perCpu, stackTemp, type BlockLowering } from "./common.js";
import { hostField, lockField, lookupValue, whenPresent } from "./locked-value.js";

interface QueueShape {
  c: CType;
  layout: Layout;
  params: Record<string, number | boolean | string>;
}

/** Declares (once) and returns the queue's value struct, its manifest layout and params. */
function shape(cx: Lowerer, st: StateDecl): QueueShape {
  const elem = cName(cx.cty(st.key));
  const f = hostField;
  const name = cx.stateTag(st.name, st.kind);
  let fields: { name: string; decl: string }[];
  let size: number;
  let layout: Layout;
  let params: Record<string, number | boolean | string>;
  if (st.kind === "fifo") {
    const L = fifoLayout(st.params, st.key);
    fields = [
      lockField(st),
      { name: "hdr", decl: "struct nf_fifo_hdr hdr" },
      { name: "_pad", decl: "__u32 _pad" },
      { name: "elem", decl: `${elem} elem[${L.capacity}]` },
    ];
    size = L.size;
    layout = {
      size,
      ctype: `struct ${name}`,
      fields: [f("head", L.head, 4, "u32"), f("len", L.len, 4, "u32")],
    };
    params = {
      structure: st.name,
      capacity: L.capacity,
      elem_size: L.elem,
      per_cpu: perCpu(st),
      layout: "nf_fifo",
    };
  } else if (st.kind === "pq") {
    const L = pqLayout(st.params, st.key);
    fields = [
      lockField(st),
      { name: "hdr", decl: "struct nf_pq_hdr hdr" },
      { name: "head", decl: `__u32 head[${L.priorities}]` },
      { name: "tail", decl: `__u32 tail[${L.priorities}]` },
      { name: "next", decl: `__u32 next[${L.capacity}]` },
      { name: "bm", decl: `__u64 bm[${L.words}]` },
      { name: "elem", decl: `${elem} elem[${L.capacity}]` },
    ];
    size = L.size;
    layout = {
      size,
      ctype: `struct ${name}`,
      fields: [f("len", L.len, 4, "u32"), f("free", L.free, 4, "u32"), f("fresh", L.fresh, 4, "u32")],
    };
    params = {
      structure: st.name,
      priorities: L.priorities,
      capacity: L.capacity,
      levels: L.levels,
      elem_size: L.elem,
      per_cpu: perCpu(st),
      layout: "nf_pq",
    };
  } else {
    return bug(`not a queue kind \`${st.kind}\``, st.span);
  }
  cx.structs.set(name, { name, fields, packed: false, size, span: st.span });
  return { c: { kind: "struct", name, size, align: 8 }, layout, params };
}

export const queueLowering: BlockLowering = {
  declare(cx, st) {
    const s = shape(cx, st);
    addArrayMap(cx, st, s, s.params);
  },

  op(cx, st, e, args, out) {
    const span = e.span;
    const s = shape(cx, st);
    const elem = cx.cty(st.key);
    const val = lookupValue(cx, st, s.c, int(0, C_U32, span), out, span);
    const part = (field: string, ty: CType): IExpr => member(deref(val, span), field, ty, span);
    const hdrTy: CType = {
      kind: "opaque",
      name: st.kind === "fifo" ? "struct nf_fifo_hdr" : "struct nf_pq_hdr",
    };
    const hdr = addr(part("hdr", hdrTy), span);
    const u32 = (n: number) => int(n, C_U32, span);
    const esize = u32(fifoOrPqElem(st));
    const arr = (f: string, t: CType): IExpr => part(f, ptrTo(t)); // arrays decay to pointers
    const geo: IExpr[] =
      st.kind === "fifo"
        ? [hdr, arr("elem", elem), esize, u32(num(st, "capacity"))]
        : [
            hdr,
            arr("head", C_U32),
            arr("tail", C_U32),
            arr("next", C_U32),
            arr("bm", { kind: "int", bits: 64 }),
            arr("elem", elem),
            esize,
            u32(num(st, "priorities")),
            u32(num(st, "capacity")),
            u32(pqLayout(st.params, st.key).levels),
          ];
    const nul: IExpr = { kind: "var", name: "NULL", ty: ptrTo(elem), span };
    const result = (fn: string, extra: IExpr[]): IExpr => {
      const ok = cx.tmp("ok");
      out.push(decl(ok, C_BOOL, span, bool(false, span)));
      out.push(
        whenPresent(
          st,
          val,
          [assign(v(ok, C_BOOL, span), call(fn, [...geo, ...extra], C_BOOL, span), span)],
          span,
        ),
      );
      return v(ok, C_BOOL, span);
    };
    const popInto = (fn: string): IExpr => {
      const o = cx.tmp("elem");
      out.push(decl(o, elem, span, undefined, true));
      const dst = addr(v(o, elem, span), span);
      const got = result(fn, [dst]);
      return cond(got, dst, nul, ptrTo(elem), span);
    };
    switch (`${st.kind}.${e.op}`) {
      case "fifo.push":
        return result("nf_fifo_push", [stackTemp(cx, elem, args[0]!, out, "elem")]);
      case "fifo.pop":
        return popInto("nf_fifo_pop");
      case "pq.push": {
        const rank = cx.hoist(args[0]!, out);
        return result("nf_pq_push", [rank, stackTemp(cx, elem, args[1]!, out, "elem")]);
      }
      case "pq.pop_min":
        return popInto("nf_pq_pop_min");
      case "fifo.len":
      case "pq.len": {
        const present = cmp("!=", val, { kind: "var", name: "NULL", ty: val.ty, span }, span);
        return cond(present, member(part("hdr", hdrTy), "len", C_U32, span), u32(0), C_U32, span);
      }
      default:
        return bug(`unknown queue operation \`${st.kind}.${e.op}\``, span);
    }
  },
};

function fifoOrPqElem(st: StateDecl): number {
  return st.kind === "fifo" ? fifoLayout(st.params, st.key).elem : pqLayout(st.params, st.key).elem;
}
