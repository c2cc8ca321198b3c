// Shared by the lowerings whose structure's state is one ARRAY / PERCPU_ARRAY value (queues, wheel,
// ordered, top-k, hll; pure and kmod): the one-value "store" map, its layout fields, and the value
// (or entry per index, hll) looked up by index, optionally guarded
// by the entry's `struct bpf_spin_lock lock` (shared maps; per-CPU maps cannot hold one and keep an
// unused u32 in its place, so both layouts are byte-identical).
//   T *val = bpf_map_lookup_elem(&map, &idx);
//   if (val) { bpf_spin_lock(&val->lock); ...body...; bpf_spin_unlock(&val->lock); }
import type { StateDecl } from "../../lang/checked.js";
import { addr, call, cmp, decl, deref, evalStmt, ifStmt, mapref, member, v } from "../ir/build.js";
import { C_U32, C_VOID, ptrTo, type CType } from "../ir/ctype.js";
import type { IExpr, IStmt, Layout } from "../ir/ir.js";
import type { Lowerer } from "../lower/context.js";
import type { Span } from "../../lang/span.js";
import { perCpu, stackTemp } from "./common.js";

/** A host-order field of a manifest value layout. */
export function hostField(
  name: string,
  offset: number,
  size: number,
  type: string,
): Layout["fields"][number] {
  return { name, offset, size, type, order: "host" };
}

/** The first member of the value struct: the lock when shared, an unused word when per-CPU. */
export function lockField(st: StateDecl): { name: string; decl: string } {
  return perCpu(st)
    ? { name: "lock_unused", decl: "__u32 lock_unused" }
    : { name: "lock", decl: "struct bpf_spin_lock lock" };
}

/** Looks up entry `index` of the structure's map into a fresh pointer local (`nf_<prefix>`);
 *  returns it. */
export function lookupValue(
  cx: Lowerer,
  st: StateDecl,
  valTy: CType,
  index: IExpr,
  out: IStmt[],
  span: Span,
  prefix = "val",
): IExpr {
  const idx = stackTemp(cx, C_U32, index, out, "idx");
  const name = cx.tmp(prefix);
  out.push(
    decl(
      name,
      ptrTo(valTy),
      span,
      call("bpf_map_lookup_elem", [mapref(cx.mapSym(st.name), span), idx], ptrTo(valTy), span),
    ),
  );
  return v(name, ptrTo(valTy), span);
}

/** `if (val) { [lock] body [unlock] }` — the lock only for shared structures. */
export function whenPresent(st: StateDecl, val: IExpr, body: IStmt[], span: Span): IStmt {
  const nul: IExpr = { kind: "var", name: "NULL", ty: val.ty, span };
  const inner = [...body];
  if (!perCpu(st)) {
    const lock = addr(
      member(deref(val, span), "lock", { kind: "opaque", name: "struct bpf_spin_lock" }, span),
      span,
    );
    inner.unshift(evalStmt(call("bpf_spin_lock", [lock], C_VOID, span), span));
    inner.push(evalStmt(call("bpf_spin_unlock", [lock], C_VOID, span), span));
  }
  return ifStmt(cmp("!=", val, nul, span), inner, [], span);
}
