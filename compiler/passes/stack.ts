// Stack budget: BPF has a 512-byte stack. The estimate is the sum of every local the IR declares
// (no slot reuse assumed) plus struct nf_hdrs and a reserve for the stdlib helpers (nf_hash64
// buffers its key in 64 bytes). When the estimate exceeds the budget, the largest aggregate locals
// move, largest first, into one per-CPU scratch map (`scratch`, a PERCPU_ARRAY of one
// `struct <nf>_scratch`), looked up once at the top of the handler. Per-CPU data is private to
// the running program invocation (XDP/TC run with preemption disabled), so it behaves as stack.

import { addr, assign, call, decl, deref, ifStmt, int, mapref, member, not, v } from "../ir/build.js";
import { cDecl, cSize, C_U32, ptrTo, type CType } from "../ir/ctype.js";
import type { IExpr, IrProgram, IStmt } from "../ir/ir.js";
import { mapStmtExprs, mapStmtLists, visit } from "../ir/walk.js";
import type { Pass } from "./pass.js";

export const STACK_LIMIT = 512;
/** struct nf_hdrs (15 pointers + l4proto) and room for helper frames and clang's spills. */
export const STACK_RESERVE = 128 + 160;
export const SCRATCH_MAP = "scratch";
const SCRATCH_PTR = "scr";

export function estimateStack(ir: IrProgram): { bytes: number; decls: { name: string; ty: CType }[] } {
  const decls: { name: string; ty: CType }[] = [];
  visit([...ir.handler.prologue, ...ir.handler.body], (s) => {
    if (s.kind === "decl") decls.push({ name: s.name, ty: s.ty });
    if (s.kind === "loop") decls.push({ name: s.var, ty: s.varTy });
  });
  const bytes = decls.reduce((n, d) => n + Math.max(8, Math.ceil(cSize(d.ty) / 8) * 8), 0);
  return { bytes, decls };
}

export const stackBudget: Pass = {
  name: "stack-budget",
  why: "keep the frame under 512 bytes: over-budget aggregates move to a per-CPU scratch map",
  run(ir) {
    const { bytes, decls } = estimateStack(ir);
    const budget = STACK_LIMIT - STACK_RESERVE;
    if (bytes <= budget) return ir;
    const big = decls.filter((d) => d.ty.kind === "struct").sort((a, b) => cSize(b.ty) - cSize(a.ty) || (a.name < b.name ? -1 : 1));
    const moved = new Map<string, CType>();
    let left = bytes;
    for (const d of big) {
      if (left <= budget) break;
      moved.set(d.name, d.ty);
      left -= Math.ceil(cSize(d.ty) / 8) * 8;
    }
    if (moved.size === 0) return ir;
    const span = ir.handler.span;
    const sname = `${ir.nf}_scratch`;
    const fields = [...moved].map(([name, ty]) => ({ name, decl: cDecl(ty, name) }));
    const size = [...moved.values()].reduce((n, t) => n + Math.ceil(cSize(t) / 8) * 8, 0);
    const sty: CType = { kind: "struct", name: sname, size, align: 8 };
    const p = v(SCRATCH_PTR, ptrTo(sty), span);
    const slot = (name: string, ty: CType, at: IExpr["span"]): IExpr => member(deref({ ...p, span: at }, at), name, ty, at);
    const rewrite = (e: IExpr): IExpr => (e.kind === "var" && moved.has(e.name) ? slot(e.name, e.ty, e.span) : e);
    const body = mapStmtLists(mapStmtExprs(ir.handler.body, rewrite), (ss) =>
      ss.flatMap((s): IStmt[] => {
        if (s.kind !== "decl" || !moved.has(s.name)) return [s];
        const target = slot(s.name, s.ty, s.span);
        const out: IStmt[] = [];
        if (s.zero || !s.init) out.push({ kind: "eval", expr: call("__builtin_memset", [addr(target, s.span), int(0, C_U32, s.span), int(cSize(s.ty), C_U32, s.span)], { kind: "void" }, s.span), span: s.span });
        if (s.init) out.push(assign(target, s.init, s.span));
        return out;
      }),
    );
    const prologue: IStmt[] = [
      decl("scr_key", C_U32, span, int(0, C_U32, span)),
      decl(SCRATCH_PTR, ptrTo(sty), span, call("bpf_map_lookup_elem", [mapref(SCRATCH_MAP, span), addr(v("scr_key", C_U32, span), span)], ptrTo(sty), span)),
      ifStmt(not(p, span), [{ kind: "return", value: ir.handler.fallback, span }], [], span),
    ];
    const layoutFields = [...moved].map(([name, ty], i, all) => ({
      name,
      offset: all.slice(0, i).reduce((n, [, t]) => n + Math.ceil(cSize(t) / 8) * 8, 0),
      size: cSize(ty),
      type: "bytes",
      order: "bytes" as const,
    }));
    return {
      ...ir,
      structs: [...ir.structs, { name: sname, fields, packed: false, size, span }],
      maps: [
        ...ir.maps,
        {
          name: SCRATCH_MAP,
          kernelName: SCRATCH_MAP,
          family: "scratch",
          kind: "scratch",
          mapType: "BPF_MAP_TYPE_PERCPU_ARRAY",
          key: C_U32,
          value: sty,
          keyLayout: { size: 4, ctype: "__u32", fields: [{ name: "key", offset: 0, size: 4, type: "u32", order: "host" }] },
          valueLayout: { size, ctype: `struct ${sname}`, fields: layoutFields },
          maxEntries: 1,
          flags: [],
          perCpu: true,
          params: {},
          span,
        },
      ],
      handler: { ...ir.handler, prologue: [...ir.handler.prologue, ...prologue], body },
    };
  },
};

