// hll<K>(precision p, groups G) on the pure backend (stdlib/include/nf/hll.h): an ARRAY (shared)
// or PERCPU_ARRAY (per_cpu) map of G entries, family "store", one group each:
//   struct nf_<s>_hll { lock | lock_unused; __u32 nonzero; __u64 deficit; __u8 reg[2^p]; }
// (the interpreter's mapBytes is the same bytes, groups in index order). Entry = group & (G-1).
//   s.add(k, g)     → h = nf_hash64(&key, ksz, seed); rank = nf_hll_rank(h, p) (de Bruijn ctz);
//                     if (val) { [lock] nf_hll_update(val->reg, &val->nonzero, &val->deficit, p, h, rank); [unlock] }
//   s.estimate(g)   → nz = 0, def = 0; if (val) { [lock] nz = val->nonzero; def = val->deficit; [unlock] }
//                     nf_hll_estimate(p, A, nz, def), A = floor(alpha_m * 2^64) (lang/blocks/hll.ts)
// Shared hll: the group's bpf_spin_lock keeps a register and the group's counters in step.
import type { StateDecl } from "../../lang/checked.js";
import { structureSeed } from "../../lang/hash.js";
import { HLL_GROUP_HEADER, hllAlphaNumerator, hllGroupBytes } from "../../lang/blocks/hll.js";
import { sizeOf, U32 } from "../../lang/types.js";
import { addr, assign, bin, call, cast, decl, deref, evalStmt, int, member, v } from "../ir/build.js";
import { C_BOOL, C_U32, C_U64, C_U8, ptrTo, type CType } from "../ir/ctype.js";
import type { IExpr, Layout } from "../ir/ir.js";
import { bug, type Lowerer } from "../lower/context.js";
import { addMap, num, perCpu, stackTemp, type BlockLowering } from "./common.js";
import { lockField, lookupValue, whenPresent } from "./locked-value.js";

export function seedHex(st: StateDecl): string {
  return `0x${structureSeed(st.name).toString(16).padStart(16, "0")}`;
}

/** The group struct of an hll, declared once per structure. */
export function hllValue(cx: Lowerer, st: StateDecl): { c: CType; layout: Layout } {
  const p = num(st, "precision");
  const m = 1 << p;
  const size = hllGroupBytes(p);
  const name = cx.stateTag(st.name, "hll");
  const lock = lockField(st);
  cx.structs.set(name, {
    name,
    fields: [
      lock,
      { name: "nonzero", decl: "__u32 nonzero" },
      { name: "deficit", decl: "__u64 deficit" },
      { name: "reg", decl: `__u8 reg[${m}]` },
    ],
    packed: false,
    size,
    span: st.span,
  });
  const f = (n: string, offset: number, sz: number, type: string) => ({
    name: n,
    offset,
    size: sz,
    type,
    order: "host" as const,
  });
  return {
    c: { kind: "struct", name, size, align: 8 },
    layout: {
      size,
      ctype: `struct ${name}`,
      fields: [
        f(lock.name, 0, 4, "u32"),
        f("nonzero", 4, 4, "u32"),
        f("deficit", 8, 8, "u64"),
        f("reg", HLL_GROUP_HEADER, m, `u8[${m}]`),
      ],
    },
  };
}

function declare(cx: Lowerer, st: StateDecl): void {
  cx.cty(st.key);
  const val = hllValue(cx, st);
  const pc = perCpu(st);
  const p = num(st, "precision");
  addMap(cx, st.name, st, {
    kind: st.kind,
    family: "store",
    mapType: pc ? "BPF_MAP_TYPE_PERCPU_ARRAY" : "BPF_MAP_TYPE_ARRAY",
    key: C_U32,
    keyTy: U32,
    value: val.c,
    valueTy: U32,
    valueLayout: val.layout,
    maxEntries: num(st, "groups"),
    perCpu: pc,
    params: {
      structure: st.name,
      precision: p,
      registers: 1 << p,
      groups: num(st, "groups"),
      seed: seedHex(st),
      per_cpu: pc,
    },
  });
}

/** `group & (G - 1)` as a u32 expression. */
export function groupIndex(st: StateDecl, g: IExpr, span: IExpr["span"]): IExpr {
  return bin("&", cast(g, C_U32, span), int(num(st, "groups") - 1, C_U32, span), C_U32, span);
}

/** How the rank of a hash is computed: pure = nf_hll_rank (de Bruijn); kmod = nfc_rt_ffs64. */
export type RankExpr = (h: IExpr, p: number, span: IExpr["span"]) => IExpr;

const deBruijnRank: RankExpr = (h, p, span) => call("nf_hll_rank", [h, int(p, C_U32, span)], C_U32, span);

export const hllLowering: BlockLowering = makeHllLowering(deBruijnRank);

/** The hll lowering with a given rank computation (the map layout and the rest are shared). */
export function makeHllLowering(rankOf: RankExpr): BlockLowering {
  return {
    declare,
    op(cx, st, e, args, out) {
      const span = e.span;
      const p = num(st, "precision");
      const valTy = hllValue(cx, st).c;
      const u32 = (n: number) => int(n, C_U32, span);
      if (e.op === "add") {
        const key = stackTemp(cx, cx.cty(st.key), args[0]!, out, "key");
        const hashName = cx.tmp("hash");
        out.push(
          decl(
            hashName,
            C_U64,
            span,
            call(
              "nf_hash64",
              [key, u32(sizeOf(st.key)), int(structureSeed(st.name), C_U64, span)],
              C_U64,
              span,
            ),
          ),
        );
        const h = v(hashName, C_U64, span);
        const rank = cx.tmp("rank");
        out.push(decl(rank, C_U32, span, rankOf(h, p, span)));
        const val = lookupValue(cx, st, valTy, groupIndex(st, args[1]!, span), out, span);
        const fld = (f: string, t: CType) => member(deref(val, span), f, t, span);
        const update = call(
          "nf_hll_update",
          [
            fld("reg", ptrTo(C_U8)),
            addr(fld("nonzero", C_U32), span),
            addr(fld("deficit", C_U64), span),
            u32(p),
            cast(h, C_U32, span),
            v(rank, C_U32, span),
          ],
          C_BOOL,
          span,
        );
        out.push(whenPresent(st, val, [evalStmt(update, span)], span));
        return int(0, { kind: "void" }, span);
      }
      if (e.op === "estimate") {
        const val = lookupValue(cx, st, valTy, groupIndex(st, args[0]!, span), out, span);
        const nz = cx.tmp("nonzero");
        const def = cx.tmp("deficit");
        out.push(decl(nz, C_U32, span, u32(0)), decl(def, C_U64, span, int(0, C_U64, span)));
        const fld = (f: string, t: CType) => member(deref(val, span), f, t, span);
        out.push(
          whenPresent(
            st,
            val,
            [
              assign(v(nz, C_U32, span), fld("nonzero", C_U32), span),
              assign(v(def, C_U64, span), fld("deficit", C_U64), span),
            ],
            span,
          ),
        );
        return call(
          "nf_hll_estimate",
          [u32(p), int(hllAlphaNumerator(p), C_U64, span), v(nz, C_U32, span), v(def, C_U64, span)],
          C_U32,
          span,
        );
      }
      return bug(`unknown operation \`hll.${e.op}\``, span);
    },
  };
}
