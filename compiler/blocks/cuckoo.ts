// cuckoo<K, V> on the pure bpf runtime (nf/cuckoo.h). One ARRAY (PERCPU_ARRAY with `per_cpu`)
// map `<name>` of capacity/16 entries, each one bucket:
//   struct nf_<name>_slot   { K key; [pad]; V value; [pad]; }          (lang cuckooGeometry)
//   struct nf_<name>_bucket { __u16 sig[16]; struct nf_<name>_slot slot[16]; }
// family "store": the differential compares the buckets' bytes with the interpreter's mapBytes.
// The key goes to a zeroed stack temporary and is hashed once, h = nf_hash64(&k, sizeof k,
// seed = structureSeed(name)); b1 = nf_cuckoo_b1(h, mask), sig = nf_cuckoo_sig(h). Then
//   t.get(k)       → (V *)nf_cuckoo_get(&t, mask, b1, sig, &k, ksz, kalign, vsz, valign)
//   t.contains(k)  → nf_present(nf_cuckoo_get(...))
//   t.insert(k, v) → nf_cuckoo_insert(&t, mask, max_kicks, b1, sig, &k, ksz, kalign, &v, vsz, valign)
//   t.remove(k)    → nf_cuckoo_remove(&t, mask, b1, sig, &k, ksz, kalign, vsz, valign)
import type { StateDecl } from "../../lang/checked.js";
import {
  cuckooGeometry,
  CUCKOO_LANES,
  CUCKOO_SIG_BYTES,
  type CuckooGeometry,
} from "../../lang/blocks/cuckoo.js";
import { structureSeed } from "../../lang/hash.js";
import { alignOf, U32 } from "../../lang/types.js";
import { call, cast, decl, int, mapref, v } from "../ir/build.js";
import { C_BOOL, C_U32, C_U64, C_VOID, cName, ptrTo, type CType } from "../ir/ctype.js";
import type { IExpr, IStmt, Layout } from "../ir/ir.js";
import { bug, type Lowerer } from "../lower/context.js";
import { addMap, num, perCpu, stackTemp, type BlockLowering, type OpExpr } from "./common.js";

export function geometryOf(st: StateDecl): CuckooGeometry {
  const value = st.value ?? bug(`cuckoo \`${st.name}\` without a value type`, st.span);
  return cuckooGeometry(num(st, "capacity"), st.key, value);
}

/** Declares the slot and bucket structs (after the key/value types) and returns the bucket. */
export function bucketStruct(cx: Lowerer, st: StateDecl): { c: CType; layout: Layout; g: CuckooGeometry } {
  const g = geometryOf(st);
  const kc = cx.cty(st.key);
  const vc = cx.cty(st.value!);
  const slot = cx.stateTag(st.name, "slot");
  const fields: { name: string; decl: string }[] = [{ name: "key", decl: `${cName(kc)} key` }];
  if (g.valueOffset > g.keySize)
    fields.push({ name: "_pad0", decl: `__u8 _pad0[${g.valueOffset - g.keySize}]` });
  fields.push({ name: "value", decl: `${cName(vc)} value` });
  const end = g.valueOffset + g.valueSize;
  if (g.stride > end) fields.push({ name: "_pad1", decl: `__u8 _pad1[${g.stride - end}]` });
  cx.structs.set(slot, { name: slot, fields, packed: false, size: g.stride, span: st.span });
  const bucket = cx.stateTag(st.name, "bucket");
  cx.structs.set(bucket, {
    name: bucket,
    fields: [
      { name: "sig", decl: `__u16 sig[${CUCKOO_LANES}]` },
      { name: "slot", decl: `struct ${slot} slot[${CUCKOO_LANES}]` },
    ],
    packed: false,
    size: g.bucketBytes,
    span: st.span,
  });
  const c: CType = {
    kind: "struct",
    name: bucket,
    size: g.bucketBytes,
    align: Math.max(2, alignOf(st.key), alignOf(st.value!)),
  };
  const layout: Layout = {
    size: g.bucketBytes,
    ctype: `struct ${bucket}`,
    fields: [
      { name: "sig", offset: 0, size: CUCKOO_SIG_BYTES, type: `u16[${CUCKOO_LANES}]`, order: "host" },
      {
        name: "slot",
        offset: CUCKOO_SIG_BYTES,
        size: CUCKOO_LANES * g.stride,
        type: `bytes[${CUCKOO_LANES * g.stride}]`,
        order: "bytes",
      },
    ],
  };
  return { c, layout, g };
}

/** The map (shared by both backends: same layout, only the placement hash differs). */
export function declareCuckoo(cx: Lowerer, st: StateDecl, hash: "nf_hash64" | "crc32c"): void {
  const pc = perCpu(st);
  const b = bucketStruct(cx, st);
  addMap(cx, st.name, st, {
    kind: st.kind,
    family: "store",
    mapType: pc ? "BPF_MAP_TYPE_PERCPU_ARRAY" : "BPF_MAP_TYPE_ARRAY",
    key: C_U32,
    keyTy: U32,
    value: b.c,
    valueTy: U32,
    valueLayout: b.layout,
    maxEntries: b.g.buckets,
    perCpu: pc,
    params: {
      structure: st.name,
      capacity: num(st, "capacity"),
      buckets: b.g.buckets,
      max_kicks: num(st, "max_kicks"),
      stride: b.g.stride,
      value_offset: b.g.valueOffset,
      hash,
      seed: `0x${structureSeed(st.name).toString(16).padStart(16, "0")}`,
      per_cpu: pc,
    },
  });
}

/** What every op needs: the key temporary, its constants, and the map. */
export interface CuckooArgs {
  m: IExpr;
  mask: IExpr;
  key: IExpr;
  keySizes: IExpr[];
  valueSizes: IExpr[];
  g: CuckooGeometry;
}

export function cuckooArgs(
  cx: Lowerer,
  st: StateDecl,
  keyValue: IExpr,
  out: IStmt[],
  span: OpExpr["span"],
): CuckooArgs {
  const g = geometryOf(st);
  const u32 = (n: number) => int(n, C_U32, span);
  return {
    m: mapref(cx.mapSym(st.name), span),
    mask: u32(g.buckets - 1),
    key: stackTemp(cx, cx.cty(st.key), keyValue, out, "key"),
    keySizes: [u32(g.keySize), u32(alignOf(st.key))],
    valueSizes: [u32(g.valueSize), u32(alignOf(st.value!))],
    g,
  };
}

/** Declares `name` = init (u32) and returns the variable. */
export function u32Temp(cx: Lowerer, prefix: string, init: IExpr, out: IStmt[]): IExpr {
  const name = cx.tmp(prefix);
  out.push(decl(name, C_U32, init.span, init));
  return v(name, C_U32, init.span);
}

export const cuckooLowering: BlockLowering = {
  declare: (cx, st) => declareCuckoo(cx, st, "nf_hash64"),
  op(cx, st, e, args, out) {
    const span = e.span;
    const a = cuckooArgs(cx, st, args[0]!, out, span);
    const hName = cx.tmp("hash");
    const seed = int(structureSeed(st.name), C_U64, span);
    out.push(decl(hName, C_U64, span, call("nf_hash64", [a.key, a.keySizes[0]!, seed], C_U64, span)));
    const h = v(hName, C_U64, span);
    const b1 = u32Temp(cx, "b1", call("nf_cuckoo_b1", [h, a.mask], C_U32, span), out);
    const sig = u32Temp(cx, "sig", call("nf_cuckoo_sig", [h], C_U32, span), out);
    const vt = cx.cty(st.value!);
    const get = (): IExpr =>
      call(
        "nf_cuckoo_get",
        [a.m, a.mask, b1, sig, a.key, ...a.keySizes, ...a.valueSizes],
        ptrTo(C_VOID),
        span,
      );
    switch (e.op) {
      case "get":
        return cast(get(), ptrTo(vt), span);
      case "contains":
        return call("nf_present", [get()], C_BOOL, span);
      case "insert": {
        const val = stackTemp(cx, vt, args[1]!, out, "val");
        const kicks = int(num(st, "max_kicks"), C_U32, span);
        return call(
          "nf_cuckoo_insert",
          [a.m, a.mask, kicks, b1, sig, a.key, ...a.keySizes, val, ...a.valueSizes],
          C_BOOL,
          span,
        );
      }
      case "remove":
        return call(
          "nf_cuckoo_remove",
          [a.m, a.mask, b1, sig, a.key, ...a.keySizes, ...a.valueSizes],
          C_BOOL,
          span,
        );
      default:
        return bug(`unknown cuckoo operation \`${e.op}\``, span);
    }
  },
};
