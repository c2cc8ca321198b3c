// Sketches through runtime-kmod's fused kfuncs (runtime-kmod/include/nfc_runtime.h, ABI 2): one
// kfunc call per language operation, which hashes the key once and applies every row / bit.
//   count_min<K>(rows, width): ONE entry of struct { __u32 c[rows*width]; }
//   bloom<K>(bits, hashes):    ONE entry of struct { __u64 w[bits/64]; }
// Cell (row i, key) = c[i*width + col_i] and bloom bit b = bit (b&63) of w[b/64]: the same cell
// numbering, hash (nf_hash64) and seed (structureSeed) as the pure lowering (sketches.ts) and the
// interpreter; only the map shape differs (a kfunc gets one verifier-checked region). The shape
// travels in a `struct nfc_rt_sketch` on the stack. Shared maps set NFC_RT_SK_ATOMIC (locked
// add/or), per_cpu maps plain stores — as the pure lowering does.
//   s.add(k, n)      → if (cells) nfc_rt_cms_add(&sk, cells, SZ, &k, sizeof k)       (sk.n = n)
//   s.estimate(k)    → cells ? (__u32)nfc_rt_cms_estimate(&sk, cells, SZ, &k, sizeof k) : 0
//   s.insert(k)      → if (cells) nfc_rt_bloom_add(...)
//   s.contains(k)    → cells ? nfc_rt_bloom_test(...) == 1 : false
// The value lookup cannot fail (ARRAY index 0); the NULL check is for the verifier.
import type { StateDecl } from "../../../lang/checked.js";
import { structureSeed } from "../../../lang/hash.js";
import {
  assign,
  call,
  cast,
  cmp,
  cond,
  decl,
  evalStmt,
  ifStmt,
  int,
  mapref,
  member,
  v,
  bool,
} from "../../ir/build.js";
import { C_BOOL, C_U32, C_U64, cSize, ptrTo, type CType } from "../../ir/ctype.js";
import type { IExpr, IStmt, Layout } from "../../ir/ir.js";
import { bug, type Lowerer } from "../../lower/context.js";
import { addArrayMap, num, perCpu, stackTemp, type BlockLowering } from "../common.js";

/** `struct nfc_rt_sketch { __u64 seed; __u32 rows, width, n, flags; }` (nfc_runtime.h). */
export const C_NFC_RT_SKETCH: CType = { kind: "struct", name: "nfc_rt_sketch", size: 24, align: 8 };

/** Bytes of the single map value holding every cell of the structure. */
export function kmodValueBytes(st: StateDecl): number {
  return st.kind === "count_min" ? 4 * num(st, "rows") * num(st, "width") : num(st, "bits") / 8;
}

function cellStruct(cx: Lowerer, st: StateDecl): { c: CType; layout: Layout; elem: CType } {
  const cms = st.kind === "count_min";
  const esize = cms ? 4 : 8;
  const n = kmodValueBytes(st) / esize;
  const member = cms ? "c" : "w";
  const name = cx.stateTag(st.name, "kcells");
  cx.structs.set(name, {
    name,
    fields: [{ name: member, decl: `__u${esize * 8} ${member}[${n}]` }],
    packed: false,
    size: n * esize,
    span: st.span,
  });
  const c: CType = { kind: "struct", name, size: n * esize, align: esize };
  const field = {
    name: member,
    offset: 0,
    size: n * esize,
    type: `u${esize * 8}[${n}]`,
    order: "host" as const,
  };
  return {
    c,
    layout: { size: n * esize, ctype: `struct ${name}`, fields: [field] },
    elem: cms ? C_U32 : C_U64,
  };
}

function declare(cx: Lowerer, st: StateDecl): void {
  const pc = perCpu(st);
  const seed = `0x${structureSeed(st.name).toString(16).padStart(16, "0")}`;
  cx.cty(st.key);
  const cells = cellStruct(cx, st);
  const params: Record<string, number | boolean | string> =
    st.kind === "count_min"
      ? {
          rows: num(st, "rows"),
          width: num(st, "width"),
          cells: num(st, "rows") * num(st, "width"),
          seed,
          cell: "u32",
          per_cpu: pc,
          layout: "kmod_single_entry",
        }
      : st.kind === "bloom"
        ? {
            bits: num(st, "bits"),
            hashes: num(st, "hashes"),
            words: num(st, "bits") / 64,
            seed,
            per_cpu: pc,
            layout: "kmod_single_entry",
          }
        : bug(`no kmod lowering for \`${st.kind}\``, st.span);
  addArrayMap(cx, st, cells, params, { family: "sketch" });
}

export const kmodSketchLowering: BlockLowering = {
  declare,
  op(cx, st, e, args, out) {
    const span = e.span;
    const u32 = (n: number) => int(n, C_U32, span);
    const k = stackTemp(cx, cx.cty(st.key), args[0]!, out, "key");
    const ksz = cSize(k.ty.kind === "ptr" ? k.ty.to : bug("key is not a pointer", span));
    const cms = st.kind === "count_min";
    // the shape
    const skName = cx.tmp("sk");
    const sk = v(skName, C_NFC_RT_SKETCH, span);
    out.push(decl(skName, C_NFC_RT_SKETCH, span, undefined, true));
    out.push(assign(member(sk, "seed", C_U64, span), int(structureSeed(st.name), C_U64, span), span));
    out.push(assign(member(sk, "rows", C_U32, span), u32(num(st, cms ? "rows" : "hashes")), span));
    out.push(assign(member(sk, "width", C_U32, span), u32(num(st, cms ? "width" : "bits")), span));
    if (e.op === "add") out.push(assign(member(sk, "n", C_U32, span), args[1]!, span));
    if (!perCpu(st))
      out.push(assign(member(sk, "flags", C_U32, span), v("NFC_RT_SK_ATOMIC", C_U32, span), span));
    // the single map value
    const idx = stackTemp(cx, C_U32, u32(0), out, "idx");
    const elem = cms ? C_U32 : C_U64;
    const cellsName = cx.tmp("cells");
    out.push(
      decl(
        cellsName,
        ptrTo(elem),
        span,
        call("bpf_map_lookup_elem", [mapref(cx.mapSym(st.name), span), idx], ptrTo(elem), span),
      ),
    );
    const cells = v(cellsName, ptrTo(elem), span);
    const kcall = (fn: string): IExpr =>
      call(
        fn,
        [
          { kind: "addr", of: sk, ty: ptrTo(C_NFC_RT_SKETCH), span },
          cells,
          u32(kmodValueBytes(st)),
          k,
          u32(ksz),
        ],
        C_U64,
        span,
      );
    const present = cmp("!=", cells, { kind: "var", name: "NULL", ty: ptrTo(elem), span }, span);
    const effect = (fn: string): IExpr => {
      out.push(ifStmt(present, [evalStmt(kcall(fn), span)] as IStmt[], [], span));
      return int(0, { kind: "void" }, span);
    };
    switch (`${st.kind}.${e.op}`) {
      case "count_min.add":
        return effect("nfc_rt_cms_add");
      case "count_min.estimate":
        return cond(present, cast(kcall("nfc_rt_cms_estimate"), C_U32, span), u32(0), C_U32, span);
      case "bloom.insert":
        return effect("nfc_rt_bloom_add");
      case "bloom.contains":
        return cond(
          present,
          cmp("==", kcall("nfc_rt_bloom_test"), int(1, C_U64, span), span),
          bool(false, span),
          C_BOOL,
          span,
        );
      default:
        return bug(`no kmod lowering for \`${st.kind}.${e.op}\``, span);
    }
  },
};
