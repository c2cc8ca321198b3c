// Counter-lookup hoisting: all `counter += n` statements share ONE lookup of the per-CPU counter
// block at the top of the handler (only when a counter is used). The lookup of key 0 in a
// one-entry PERCPU_ARRAY cannot fail, but the verifier needs the NULL check: on NULL the handler
// returns the hook's `pass` verdict.
import { addr, decl, deref, ifStmt, int, mapref, member, not, v } from "../ir/build.js";
import { C_U32, C_U64, ptrTo } from "../ir/ctype.js";
import type { IStmt } from "../ir/ir.js";
import { counterMember as cMember } from "../names/allocator.js";
import { mapStmtLists } from "../ir/walk.js";
import type { Pass } from "./pass.js";

export const counterHoist: Pass = {
  name: "counter-hoist",
  why: "one per-CPU map lookup per packet for all counters, instead of one per increment",
  run(ir) {
    const m = ir.maps.find((x) => x.family === "counter");
    const ptrName = ir.names.gen("cnt", "counters-ptr");
    let used = false;
    const body = mapStmtLists(ir.handler.body, (ss) =>
      ss.map((s): IStmt => {
        if (s.kind !== "counter") return s;
        used = true;
        const p = v(ptrName, ptrTo(m!.value), s.span);
        return {
          kind: "assign",
          target: member(deref(p, s.span), cMember(s.name), C_U64, s.span),
          op: "+=",
          value: s.value,
          span: s.span,
        };
      }),
    );
    if (!used || !m) return { ...ir, handler: { ...ir.handler, body } };
    const span = m.span; // provenance: the `counter` declaration

    const p = v(ptrName, ptrTo(m.value), span);
    const key = ir.names.gen("cnt_key");
    const prologue: IStmt[] = [
      decl(key, C_U32, span, int(0, C_U32, span)),
      decl(ptrName, ptrTo(m.value), span, {
        kind: "call",
        fn: "bpf_map_lookup_elem",
        args: [mapref(m.symbol, span), addr(v(key, C_U32, span), span)],
        ty: ptrTo(m.value),
        span,
      }),
      ifStmt(not(p, span), [{ kind: "return", value: ir.handler.fallback, span }], [], span),
    ];
    return { ...ir, handler: { ...ir.handler, prologue: [...ir.handler.prologue, ...prologue], body } };
  },
};
