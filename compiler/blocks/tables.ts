// Tables (array, hash, lru, lpm) over BPF maps. Operations per docs/LANGUAGE.md:
//   get      → bpf_map_lookup_elem (a pointer; the binding statement NULL-checks it)
//   contains → nf_present(lookup): 0/1 as a scalar (see nf/common.h)
//   insert   → bpf_map_update_elem(BPF_ANY) == 0      update → (BPF_EXIST) == 0
//   remove   → bpf_map_delete_elem == 0
//   add(k,n) → lookup; found: nf_atomic_add32/64 (plain += for per_cpu or u8/u16 values);
//              absent: update(BPF_NOEXIST), and on -EEXIST (a racing insert) lookup + add once more.
// lpm keys are the stdlib's `struct nf_lpm4_key` / `nf_lpm6_key` { __u32 prefixlen; __u8 addr[4|16]; }, looked up
// with prefixlen 32 / 128. lpm has no per-CPU map type: `per_cpu` is ignored for lpm.
import type { StateDecl } from "../../lang/checked.js";
import { U32, type Ty } from "../../lang/types.js";
import { assign, call, cmp, decl, deref, evalStmt, ifStmt, int, mapref, member, v } from "../ir/build.js";
import { C_BE32, C_BOOL, C_INT, C_IP6, C_U32, C_VOID, ptrTo, type CType } from "../ir/ctype.js";
import type { IExpr, IStmt } from "../ir/ir.js";
import { bug, type Lowerer } from "../lower/context.js";
import { addMap, num, perCpu, stackTemp, type BlockLowering, type OpExpr } from "./common.js";

const MAP_TYPES: Record<string, [string, string]> = {
  array: ["BPF_MAP_TYPE_ARRAY", "BPF_MAP_TYPE_PERCPU_ARRAY"],
  hash: ["BPF_MAP_TYPE_HASH", "BPF_MAP_TYPE_PERCPU_HASH"],
  lru: ["BPF_MAP_TYPE_LRU_HASH", "BPF_MAP_TYPE_LRU_PERCPU_HASH"],
  lpm: ["BPF_MAP_TYPE_LPM_TRIE", "BPF_MAP_TYPE_LPM_TRIE"],
};

/** `struct nf_lpm4_key` / `nf_lpm6_key` (stdlib/include/nf/common.h). */
function lpmKeyStruct(key: Ty): CType {
  const n = key.kind === "ip6" ? 16 : 4;
  return { kind: "struct", name: n === 16 ? "nf_lpm6_key" : "nf_lpm4_key", size: 4 + n, align: 4 };
}

/** The map's C key type (arrays are indexed by __u32; lpm by a prefix key). */
function keyType(cx: Lowerer, st: StateDecl): CType {
  if (st.kind === "array") return C_U32;
  if (st.kind === "lpm") return lpmKeyStruct(st.key);
  return cx.cty(st.key);
}

function valueTy(st: StateDecl): Ty {
  return st.value ?? bug(`table \`${st.name}\` without a value type`, st.span);
}

export const tableLowering: BlockLowering = {
  declare(cx, st) {
    const types = MAP_TYPES[st.kind] ?? bug(`unknown table kind \`${st.kind}\``, st.span);
    const pc = perCpu(st) && st.kind !== "lpm";
    const lpm = st.kind === "lpm";
    const keyTy: Ty = st.kind === "array" ? U32 : st.key;
    const key = keyType(cx, st);
    const keyLayoutTy: Ty = lpm
      ? {
          kind: "struct",
          name: "lpm_key",
          size: 4 + (st.key.kind === "ip6" ? 16 : 4),
          align: 4,
          fields: [
            { name: "prefixlen", ty: U32, offset: 0 },
            { name: "addr", ty: st.key, offset: 4 },
          ],
        }
      : keyTy;
    addMap(cx, st.name, st, {
      kind: st.kind,
      family: "table",
      mapType: types[pc ? 1 : 0],
      key,
      keyTy: keyLayoutTy,
      value: cx.cty(valueTy(st)),
      valueTy: valueTy(st),
      maxEntries: num(st, "capacity"),
      flags: lpm ? ["BPF_F_NO_PREALLOC"] : [],
      perCpu: pc,
      params: {
        capacity: num(st, "capacity"),
        per_cpu: pc,
        ...(st.params.shared === true ? { shared: true } : {}),
      },
    });
  },

  op(cx, st, e, args, out) {
    const span = e.span;
    const m = mapref(cx.mapSym(st.name), span);
    const vt = cx.cty(valueTy(st));
    const key = (): IExpr => keyPtr(cx, st, args[0]!, out);
    const lookup = (k: IExpr): IExpr => call("bpf_map_lookup_elem", [m, k], ptrTo(vt), span);
    const isZero = (x: IExpr): IExpr => cmp("==", x, int(0, C_INT, span), span);
    switch (e.op) {
      case "get":
        return lookup(key());
      case "contains":
        // nf_present: a scalar 0/1 clang cannot merge with other pointer tests (nf/common.h).
        return call("nf_present", [lookup(key())], C_BOOL, span);
      case "insert":
      case "update": {
        const k = key();
        const val = stackTemp(cx, vt, args[1]!, out, "val");
        const flag = v(e.op === "insert" ? "BPF_ANY" : "BPF_EXIST", C_INT, span);
        return isZero(call("bpf_map_update_elem", [m, k, val, flag], C_INT, span));
      }
      case "remove":
        return isZero(call("bpf_map_delete_elem", [m, key()], C_INT, span));
      case "add":
        out.push(...addStmts(cx, st, m, key(), cx.hoist(args[1]!, out), vt, span));
        return int(0, { kind: "void" }, span);
      default:
        return bug(`unknown table operation \`${e.op}\``, span);
    }
  },
};

function keyPtr(cx: Lowerer, st: StateDecl, k: IExpr, out: IStmt[]): IExpr {
  const span = k.span;
  if (st.kind === "lpm") {
    const kt = lpmKeyStruct(st.key);
    const name = cx.tmp("key");
    const kv = v(name, kt, span);
    out.push(decl(name, kt, span, undefined, true));
    out.push(
      assign(member(kv, "prefixlen", C_U32, span), int(st.key.kind === "ip6" ? 128 : 32, C_U32, span), span),
    );
    const at = member(kv, "addr", C_U32, span);
    const addrTy = st.key.kind === "ip6" ? C_IP6 : C_BE32;
    out.push(assign(deref({ kind: "cast", expr: at, ty: ptrTo(addrTy), span }, span), k, span));
    return { kind: "addr", of: kv, ty: ptrTo(kt), span };
  }
  return stackTemp(cx, keyType(cx, st), k, out, "key");
}

function addStmts(
  cx: Lowerer,
  st: StateDecl,
  m: IExpr,
  k: IExpr,
  n: IExpr,
  vt: CType,
  span: OpExpr["span"],
): IStmt[] {
  const bits = vt.kind === "int" ? vt.bits : bug("`add` on a non-integer value", span);
  const atomic = !perCpu(st) && bits >= 32;
  const pName = cx.tmp("val");
  const p = v(pName, ptrTo(vt), span);
  const bump = (): IStmt =>
    atomic
      ? evalStmt(call(bits === 64 ? "nf_atomic_add64" : "nf_atomic_add32", [p, n], C_VOID, span), span)
      : { kind: "assign", target: deref(p, span), op: "+=", value: n, span };
  const lookup = call("bpf_map_lookup_elem", [m, k], ptrTo(vt), span);
  const initName = cx.tmp("init");
  const update = call(
    "bpf_map_update_elem",
    [m, k, { kind: "addr", of: v(initName, vt, span), ty: ptrTo(vt), span }, v("BPF_NOEXIST", C_INT, span)],
    C_INT,
    span,
  );
  return [
    decl(pName, ptrTo(vt), span, lookup),
    ifStmt(
      p,
      [bump()],
      [
        decl(initName, vt, span, n),
        ifStmt(
          cmp("==", update, int(-17, C_INT, span, "-EEXIST: inserted meanwhile"), span),
          [assign(p, lookup, span), ifStmt(p, [bump()], [], span)],
          [],
          span,
        ),
      ],
      span,
    ),
  ];
}
