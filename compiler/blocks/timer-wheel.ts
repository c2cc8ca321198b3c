// timer_wheel<T>(slots, tick_ns, capacity) for the bpf runtime: ONE ARRAY (PERCPU_ARRAY with
// per_cpu) entry holding the whole wheel (stdlib nf/wheel.h):
//   struct nf_<name>_wheel { struct bpf_spin_lock lock; __u32 _pad0; struct nf_wheel w;
//     __u64 bits[1|65]; __u32 head[S], tail[S]; struct nf_<name>_node { T v; __u32 next; } node[C]; }
// Byte layout = lang/blocks/timer-wheel.ts wheelLayout() (the interpreter's mapBytes), map family
// "store". A shared wheel takes the value's bpf_spin_lock around each helper (the helpers call
// nothing); per_cpu has `__u32 _lock_pad` instead and no lock.
//   w.schedule(at, v) → ok = false; if (q) { lock; ok = nf_wheel_schedule(&q->w, S, TICK, C, stride, sizeof(T), at, &v); unlock; }
//   w.pop_due(now)    → same with nf_wheel_pop_due(..., now, &out); the option is `got ? &out : NULL`
//   w.len()           → q ? q->w.len : 0 (a plain read)
import type { StateDecl } from "../../lang/checked.js";
import { wheelLayout } from "../../lang/blocks/timer-wheel.js";
import {
  addr,
  assign,
  bool,
  call,
  cond,
  decl,
  deref,
  evalStmt,
  ifStmt,
  int,
  member,
  v,
} from "../ir/build.js";
import { C_BOOL, C_U32, C_U64, cName, ptrTo, type CType } from "../ir/ctype.js";
import type { IExpr, IStmt } from "../ir/ir.js";
import { bug, type Lowerer } from "../lower/context.js";
import { addArrayMap, num, perCpu, stackTemp, type BlockLowering } from "./common.js";
import { hostField, lookupValue } from "./locked-value.js";

/** `struct nf_wheel` (nf/wheel.h): base, len, free, fresh. */
export const C_NF_WHEEL: CType = { kind: "struct", name: "nf_wheel", size: 24, align: 8 };

/** The C struct of the single map value; declares it (and the node struct) once. */
export function wheelValueType(cx: Lowerer, st: StateDecl, lock: boolean): CType {
  const L = wheelLayout(st.params, st.key);
  const elem = cx.cty(st.key);
  const node = cx.stateTag(st.name, "node");
  cx.structs.set(node, {
    name: node,
    fields: [
      { name: "v", decl: `${cName(elem)} v` },
      { name: "next", decl: "__u32 next" },
    ],
    packed: false,
    size: L.node,
    span: st.span,
  });
  const name = cx.stateTag(st.name, "wheel");
  cx.structs.set(name, {
    name,
    fields: [
      lock
        ? { name: "lock", decl: "struct bpf_spin_lock lock" }
        : { name: "_lock_pad", decl: "__u32 _lock_pad" },
      { name: "_pad0", decl: "__u32 _pad0" },
      { name: "w", decl: "struct nf_wheel w" },
      { name: "bits", decl: `__u64 bits[${L.words}]` },
      { name: "head", decl: `__u32 head[${L.slots}]` },
      { name: "tail", decl: `__u32 tail[${L.slots}]` },
      { name: "node", decl: `struct ${node} node[${L.capacity}]` },
    ],
    packed: false,
    size: L.size,
    span: st.span,
  });
  return { kind: "struct", name, size: L.size, align: 8 };
}

function declare(cx: Lowerer, st: StateDecl): void {
  const L = wheelLayout(st.params, st.key);
  const c = wheelValueType(cx, st, !perCpu(st));
  addArrayMap(
    cx,
    st,
    {
      c,
      layout: {
        size: L.size,
        ctype: `struct ${c.kind === "struct" ? c.name : ""}`,
        fields: [
          hostField("base", 8, 8, "u64"),
          hostField("len", 16, 4, "u32"),
          hostField("free", 20, 4, "u32"),
          hostField("fresh", 24, 4, "u32"),
        ],
      },
    },
    {
      structure: st.name,
      slots: L.slots,
      tick_ns: num(st, "tick_ns"),
      capacity: L.capacity,
      levels: L.levels,
      node_size: L.node,
      per_cpu: perCpu(st),
      layout: "nf_wheel",
    },
  );
}

/** `q = bpf_map_lookup_elem(&map, &0)`; returns q (NULL only to the verifier's eyes). */
export function lookupWheel(cx: Lowerer, st: StateDecl, c: CType, out: IStmt[], span: IExpr["span"]): IExpr {
  return lookupValue(cx, st, c, int(0, C_U32, span), out, span, "wq");
}

export const timerWheelLowering: BlockLowering = {
  declare,
  op(cx, st, e, args, out) {
    const span = e.span;
    const L = wheelLayout(st.params, st.key);
    const shared = !perCpu(st);
    const c = wheelValueType(cx, st, shared);
    const elem = cx.cty(st.key);
    const q = lookupWheel(cx, st, c, out, span);
    const present = cmpNotNull(q, span);
    const w = addr(member(deref(q, span), "w", C_NF_WHEEL, span), span);
    const geo = [
      w,
      int(L.slots, C_U32, span),
      int(BigInt(num(st, "tick_ns")), C_U64, span),
      int(L.capacity, C_U32, span),
      int(L.node, C_U32, span),
      int(L.elem, C_U32, span),
    ];
    const locked = (s: IStmt): IStmt[] => {
      if (!shared) return [s];
      const lk = addr(
        member(deref(q, span), "lock", { kind: "opaque", name: "struct bpf_spin_lock" }, span),
        span,
      );
      return [
        evalStmt(call("bpf_spin_lock", [lk], { kind: "void" }, span), span),
        s,
        evalStmt(call("bpf_spin_unlock", [lk], { kind: "void" }, span), span),
      ];
    };
    switch (e.op) {
      case "schedule": {
        const at = cx.hoist(args[0]!, out);
        const val = stackTemp(cx, elem, args[1]!, out, "elem");
        const ok = cx.tmp("sched_ok");
        out.push(decl(ok, C_BOOL, span, bool(false, span)));
        out.push(
          ifStmt(
            present,
            locked(
              assign(v(ok, C_BOOL, span), call("nf_wheel_schedule", [...geo, at, val], C_BOOL, span), span),
            ),
            [],
            span,
          ),
        );
        return v(ok, C_BOOL, span);
      }
      case "pop_due": {
        const now = cx.hoist(args[0]!, out);
        const o = cx.tmp("pop_out");
        out.push(decl(o, elem, span, undefined, true));
        const got = cx.tmp("pop_ok");
        out.push(decl(got, C_BOOL, span, bool(false, span)));
        const dst = addr(v(o, elem, span), span);
        out.push(
          ifStmt(
            present,
            locked(
              assign(v(got, C_BOOL, span), call("nf_wheel_pop_due", [...geo, now, dst], C_BOOL, span), span),
            ),
            [],
            span,
          ),
        );
        return cond(
          v(got, C_BOOL, span),
          dst,
          { kind: "var", name: "NULL", ty: ptrTo(elem), span },
          ptrTo(elem),
          span,
        );
      }
      case "len":
        return cond(
          present,
          member(member(deref(q, span), "w", C_NF_WHEEL, span), "len", C_U32, span),
          int(0, C_U32, span),
          C_U32,
          span,
        );
      default:
        return bug(`unknown timer_wheel operation \`${e.op}\``, span);
    }
  },
};

function cmpNotNull(p: IExpr, span: IExpr["span"]): IExpr {
  return {
    kind: "binary",
    op: "!=",
    left: p,
    right: { kind: "var", name: "NULL", ty: p.ty, span },
    ty: C_BOOL,
    span,
  };
}
