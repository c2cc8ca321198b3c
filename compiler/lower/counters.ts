// Counters: one PERCPU_ARRAY map `counters` (C `nf_counters`) with a single entry, value `struct
// nf_counters { __u64 <name>; ... }` in declaration order (offset = 8 * index); members are the
// counters' names where safe (compiler/names member()). `c += n` lowers to an IR
// `counter` statement; the counter-hoist pass does the one lookup per packet.
import { U32, U64, structTy } from "../../lang/types.js";
import { addMap } from "../blocks/common.js";
import { C_U32 } from "../ir/ctype.js";
import { counterMember } from "../names/allocator.js";
import type { Lowerer } from "./context.js";

export const COUNTERS_MAP = "counters";

export function declareCounters(cx: Lowerer): { name: string; offset: number }[] {
  const cs = [...cx.prog.counters].sort((a, b) => a.index - b.index);
  if (cs.length === 0) return [];
  const name = cx.names.genTag("counters", "counters");
  const fields = cs.map((c) => ({ name: counterMember(c.name), decl: `__u64 ${counterMember(c.name)}` }));
  cx.structs.set(name, { name, fields, packed: false, size: 8 * cs.length, span: cs[0]!.span });
  const ty = structTy(
    "counters",
    cs.map((c) => ({ name: c.name, ty: U64 })),
  );
  addMap(
    cx,
    COUNTERS_MAP,
    cs[0]!,
    {
      kind: "counter",
      family: "counter",
      mapType: "BPF_MAP_TYPE_PERCPU_ARRAY",
      key: C_U32,
      keyTy: U32,
      value: { kind: "struct", name, size: 8 * cs.length, align: 8 },
      valueTy: ty,
      maxEntries: 1,
      perCpu: true,
      params: { merge: "sum" },
    },
    "counters",
  );
  return cs.map((c) => ({ name: c.name, offset: 8 * c.index }));
}
