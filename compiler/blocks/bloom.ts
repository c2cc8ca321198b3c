// bloom<K>(bits, hashes) on the pure backend (stdlib/include/nf/sketch.h): an ARRAY (shared) or
// PERCPU_ARRAY (per_cpu) map of NF_BLOOM_ENTRIES(bits) entries of
// struct { __u64 w[NF_BLOOM_CHUNK_WORDS(bits)]; } (words = max(1, min(bits/64, 4096))), family "sketch".
//   s.insert(k)    → h = nf_hash64(&k, sizeof k, seed); nf_bloom_insert(&s, H, B, NF_BLOOM_CHUNK_WORDS(B), h, atomic)
//   s.contains(k)  → nf_bloom_contains(&s, H, B, NF_BLOOM_CHUNK_WORDS(B), h)
// Shared maps set bits atomically; per_cpu maps with plain stores (the control plane ORs shards).
import { bool, call, evalStmt, int, mapref } from "../ir/build.js";
import { C_BOOL, C_U32 } from "../ir/ctype.js";
import { bug } from "../lower/context.js";
import { addArrayMap, num, perCpu, type BlockLowering } from "./common.js";
import { bloomGeometry, cellStruct, geometryMacro, hashKey, seedHexOf } from "./sketch-cells.js";

export const bloomLowering: BlockLowering = {
  declare(cx, st) {
    const bits = num(st, "bits");
    const hashes = num(st, "hashes");
    const g = bloomGeometry(bits);
    cx.cty(st.key);
    const cells = cellStruct(
      cx,
      st,
      { elem: "__u64", member: "w", type: "u64" },
      g.chunkWords,
      `NF_BLOOM_CHUNK_WORDS(${bits})`,
    );
    addArrayMap(
      cx,
      st,
      cells,
      { bits, hashes, chunk_words: g.chunkWords, seed: seedHexOf(st.name), per_cpu: perCpu(st) },
      {
        family: "sketch",
        entries: g.entries,
        entriesC: `NF_BLOOM_ENTRIES(${bits})`,
      },
    );
  },
  op(cx, st, e, args, out) {
    const span = e.span;
    const { h } = hashKey(cx, st, e, args, out);
    const bits = num(st, "bits");
    const geo = [
      mapref(cx.mapSym(st.name), span),
      int(num(st, "hashes"), C_U32, span),
      int(bits, C_U32, span),
      geometryMacro("NF_BLOOM_CHUNK_WORDS", [bits], span),
      h,
    ];
    switch (e.op) {
      case "insert":
        out.push(
          evalStmt(call("nf_bloom_insert", [...geo, bool(!perCpu(st), span)], { kind: "void" }, span), span),
        );
        return int(0, { kind: "void" }, span);
      case "contains":
        return call("nf_bloom_contains", geo, C_BOOL, span);
      default:
        return bug(`unknown operation \`bloom.${e.op}\``, span);
    }
  },
};
