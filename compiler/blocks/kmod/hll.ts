// hll<K> through runtime-kmod: the pure lowering (../hll.ts, same map, same bytes) with the rank's
// bit scan done by the `nfc_rt_ffs64` kfunc (bsf) instead of nf_hll_rank's de Bruijn multiply:
//   rank = (__u32)nfc_rt_ffs64((h >> p) | (1ULL << (64 - p)))      (1-based = ctz + 1 = the rank)
// The kfunc is called before the group's spin lock is taken (no calls while it is held).
// compiler/backend/choice.ts picks it in `auto` mode (hllKmodRule): measured by vm/icount.sh
// (runtime-kmod/bench/hll.bpf.c, Linux 6.1, -cpu max), one add costs 123 guest instructions with
// the kfunc against 149 with the de Bruijn scan (its table is a global-data map value load).
import { bin, call, cast, int } from "../../ir/build.js";
import { C_U32, C_U64 } from "../../ir/ctype.js";
import { makeHllLowering } from "../hll.js";

export const kmodHllLowering = makeHllLowering((h, p, span) =>
  cast(
    call(
      "nfc_rt_ffs64",
      [
        bin(
          "|",
          bin(">>", h, int(p, C_U32, span), C_U64, span),
          int(1n << BigInt(64 - p), C_U64, span),
          C_U64,
          span,
        ),
      ],
      C_U64,
      span,
    ),
    C_U32,
    span,
  ),
);

/** compiler/backend/choice.ts KMOD_RULES entry: the kfunc pays for the rank's bit scan at every
 *  precision (the scan's cost does not depend on p). */
export const hllKmodRule = {
  param: "precision",
  threshold: 4,
  pays: (_p: number, op: string): string =>
    op === "add"
      ? "rank by nfc_rt_ffs64 (bsf): 123 vs 149 guest instructions per add with the de Bruijn scan (runtime-kmod/bench/hll.bpf.c, vm/icount.sh 6.1 max)"
      : "estimate is the same integer math on both backends; the structure follows its add",
  doesNotPay: (): string => "unreachable: every precision is ≥ 4",
};
