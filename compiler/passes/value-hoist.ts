// Single-value hoisting: a structure whose whole state is ONE map value (a queue, a timer wheel,
// an ordered arena, a top-k board, a kmod sketch: family store/sketch/opaque, max_entries 1) is
// looked up once, in the prologue, instead of once per operation. The lowerings always look such
// a map up at index 0, so every lookup returns the same pointer; the ops keep their own NULL
// tests (the verifier sees them satisfied). The lookup of key 0 in a one-entry ARRAY /
// PERCPU_ARRAY cannot fail, but the verifier needs the NULL check: on NULL the handler returns
// the hook's `pass` verdict, as counter-hoist does. Only maps looked up at two or more places.
import { addr, cast, decl, ifStmt, int, mapref, not, v } from "../ir/build.js";
import { C_U32, C_VOID, ptrTo } from "../ir/ctype.js";
import type { IExpr, IStmt } from "../ir/ir.js";
import { mapStmtLists, visit } from "../ir/walk.js";
import type { Pass } from "./pass.js";

const FAMILIES = new Set(["store", "sketch", "opaque"]);

function lookedUp(e: IExpr | undefined): string | undefined {
  if (e?.kind !== "call" || e.fn !== "bpf_map_lookup_elem") return undefined;
  const m = e.args[0];
  return m?.kind === "mapref" ? m.map : undefined;
}

export const valueHoist: Pass = {
  name: "value-hoist",
  why: "one map lookup per packet for a structure held in one map value, instead of one per operation",
  run(ir) {
    const single = new Set(
      ir.maps.filter((m) => FAMILIES.has(m.family) && m.maxEntries === 1).map((m) => m.symbol),
    );
    const uses = new Map<string, number>();
    visit(ir.handler.body, (s) => {
      const m = s.kind === "decl" ? lookedUp(s.init) : undefined;
      if (m && single.has(m)) uses.set(m, (uses.get(m) ?? 0) + 1);
    });
    const hoisted = [...uses]
      .filter(([, n]) => n >= 2)
      .map(([m]) => m)
      .sort();
    if (hoisted.length === 0) return ir;
    const ptrs = new Map(hoisted.map((m) => [m, ir.names.gen(`${m}_val`, `hoisted:${m}`)]));
    const ptr = (m: string): string => ptrs.get(m)!;
    const body = mapStmtLists(ir.handler.body, (ss) =>
      ss.map((s): IStmt => {
        const m = s.kind === "decl" ? lookedUp(s.init) : undefined;
        if (s.kind !== "decl" || !m || !hoisted.includes(m)) return s;
        return { ...s, init: cast(v(ptr(m), ptrTo(C_VOID), s.span), s.ty, s.span) };
      }),
    );
    const prologue: IStmt[] = [];
    for (const name of hoisted) {
      const span = ir.maps.find((m) => m.symbol === name)!.span; // provenance: the declaration
      const key = ir.names.gen(`${name}_key`);
      const p = v(ptr(name), ptrTo(C_VOID), span);
      prologue.push(
        decl(key, C_U32, span, int(0, C_U32, span)),
        decl(ptr(name), ptrTo(C_VOID), span, {
          kind: "call",
          fn: "bpf_map_lookup_elem",
          args: [mapref(name, span), addr(v(key, C_U32, span), span)],
          ty: ptrTo(C_VOID),
          span,
        }),
        ifStmt(not(p, span), [{ kind: "return", value: ir.handler.fallback, span }], [], span),
      );
    }
    return { ...ir, handler: { ...ir.handler, prologue: [...ir.handler.prologue, ...prologue], body } };
  },
};
