// Stack budget: BPF has a 512-byte stack. The estimate follows C's scopes (the scope-locals pass
// puts every local in the smallest block holding its uses, and clang lets disjoint scopes share
// slots): along one path of nested blocks the locals in scope add up, sibling blocks and branches are
// alternatives (their maximum). Every local takes its size rounded up to an 8-byte slot, scalars
// included (conservative: clang keeps most in registers). The reserve holds struct nf_hdrs and the
// stdlib helpers' frames (nf_hash64 buffers its key in 64 bytes). Over budget, the largest movable
// local in scope at the peak moves into one per-CPU scratch map (`scratch`, a PERCPU_ARRAY of one
// `struct <nf>_scratch`, looked up once at the top of the handler), and the peak is found again.
// Per-CPU data is private to the running invocation (XDP/TC run with preemption disabled), so it
// behaves as stack. Pointers stay (a map value may not hold one), and loop counters are not decls.

import { addr, assign, call, decl, deref, ifStmt, int, mapref, member, not, v } from "../ir/build.js";
import { cDecl, cSize, C_U32, ptrTo, type CType } from "../ir/ctype.js";
import type { IExpr, IrProgram, IStmt } from "../ir/ir.js";
import { mapStmtExprs, mapStmtLists } from "../ir/walk.js";
import type { Pass } from "./pass.js";
import { kernelName } from "../names/kernel.js";

export const STACK_LIMIT = 512;
/** struct nf_hdrs (15 pointers + l4proto) and room for helper frames and clang's spills. */
export const STACK_RESERVE = 128 + 160;
export const SCRATCH_MAP = "scratch";

interface Local {
  name: string;
  ty: CType;
}

const slotOf = (ty: CType): number => Math.max(8, Math.ceil(cSize(ty) / 8) * 8);

/** The deepest frame: its size and the locals in scope there (outermost first). */
interface Frame {
  bytes: number;
  live: Local[];
}

function frameOf(ss: IStmt[], outer: Frame, skip: ReadonlySet<string>): Frame {
  let cur: Frame = outer;
  let peak: Frame = outer;
  const deeper = (f: Frame): void => {
    if (f.bytes > peak.bytes) peak = f;
  };
  for (const s of ss) {
    switch (s.kind) {
      case "decl":
        if (!skip.has(s.name))
          cur = { bytes: cur.bytes + slotOf(s.ty), live: [...cur.live, { name: s.name, ty: s.ty }] };
        deeper(cur);
        break;
      case "if":
        deeper(frameOf(s.then, cur, skip));
        deeper(frameOf(s.else, cur, skip));
        break;
      case "loop":
        deeper(frameOf(s.body, { bytes: cur.bytes + slotOf(s.varTy), live: cur.live }, skip));
        break;
      case "block":
        deeper(frameOf(s.body, cur, skip));
        break;
      default:
        break;
    }
  }
  return peak;
}

/** The handler's deepest frame, without the locals in `skip` (already moved to scratch). */
export function estimateStack(ir: IrProgram, skip: ReadonlySet<string> = new Set()): Frame {
  return frameOf([...ir.handler.prologue, ...ir.handler.body], { bytes: 0, live: [] }, skip);
}

/** Locals to move, largest first at each step, until the deepest frame fits `budget`. */
export function chooseScratch(ir: IrProgram, budget: number): Map<string, CType> {
  const moved = new Map<string, CType>();
  for (;;) {
    const f = estimateStack(ir, new Set(moved.keys()));
    if (f.bytes <= budget) return moved;
    const pick = f.live
      .filter((l) => l.ty.kind !== "ptr" && !moved.has(l.name))
      .sort((a, b) => cSize(b.ty) - cSize(a.ty) || (a.name < b.name ? -1 : 1))[0];
    if (!pick) return moved;
    moved.set(pick.name, pick.ty);
  }
}

export const stackBudget: Pass = {
  name: "stack-budget",
  why: "keep the frame under 512 bytes: over-budget aggregates move to a per-CPU scratch map",
  run(ir) {
    const moved = chooseScratch(ir, STACK_LIMIT - STACK_RESERVE);
    if (moved.size === 0) return ir;
    const span = ir.handler.span;
    const sname = ir.names.genTag("scratch", "scratch");
    const ptrName = ir.names.gen("scr");
    const keyName = ir.names.gen("scr_key");
    const symbol = ir.names.map("genmap:scratch", { gen: "scratch" });
    const fields = [...moved].map(([name, ty]) => ({ name, decl: cDecl(ty, name) }));
    const size = [...moved.values()].reduce((n, t) => n + Math.ceil(cSize(t) / 8) * 8, 0);
    const sty: CType = { kind: "struct", name: sname, size, align: 8 };
    const p = v(ptrName, ptrTo(sty), span);
    const slot = (name: string, ty: CType, at: IExpr["span"]): IExpr =>
      member(deref({ ...p, span: at }, at), name, ty, at);
    const rewrite = (e: IExpr): IExpr =>
      e.kind === "var" && moved.has(e.name) ? slot(e.name, e.ty, e.span) : e;
    const body = mapStmtLists(mapStmtExprs(ir.handler.body, rewrite), (ss) =>
      ss.flatMap((s): IStmt[] => {
        if (s.kind !== "decl" || !moved.has(s.name)) return [s];
        const target = slot(s.name, s.ty, s.span);
        const out: IStmt[] = [];
        if (s.zero || !s.init)
          out.push({
            kind: "eval",
            expr: call(
              "__builtin_memset",
              [addr(target, s.span), int(0, C_U32, s.span), int(cSize(s.ty), C_U32, s.span)],
              { kind: "void" },
              s.span,
            ),
            span: s.span,
          });
        if (s.init) out.push(assign(target, s.init, s.span));
        return out;
      }),
    );
    const prologue: IStmt[] = [
      decl(keyName, C_U32, span, int(0, C_U32, span)),
      decl(
        ptrName,
        ptrTo(sty),
        span,
        call(
          "bpf_map_lookup_elem",
          [mapref(symbol, span), addr(v(keyName, C_U32, span), span)],
          ptrTo(sty),
          span,
        ),
      ),
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
          symbol,
          kernelName: kernelName(symbol),
          family: "scratch",
          kind: "scratch",
          mapType: "BPF_MAP_TYPE_PERCPU_ARRAY",
          key: C_U32,
          value: sty,
          keyLayout: {
            size: 4,
            ctype: "__u32",
            fields: [{ name: "key", offset: 0, size: 4, type: "u32", order: "host" }],
          },
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
