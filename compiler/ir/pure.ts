// Side-effect questions passes ask of IR expressions.
import type { IExpr } from "./ir.js";
import { mapExpr } from "./walk.js";

/** Calls whose only effect is their value: byte order, reading the CPU id, time or packet length,
 *  geometry macros.
 *  Map helpers and kfuncs are not. */
const PURE_CALLS = new Set([
  "bpf_ntohs",
  "bpf_htons",
  "bpf_ntohl",
  "bpf_htonl",
  "bpf_get_smp_processor_id",
  "bpf_ktime_get_ns",
  "nf_now_ns",
  "bpf_xdp_get_buff_len",
  // stdlib geometry macros (nf/sketch.h) over constants
  "NF_CMS_CHUNK",
  "NF_BLOOM_CHUNK_WORDS",
]);

/** True when evaluating `e` has no effect besides its value (it may be dropped or duplicated). */
export function isPure(e: IExpr): boolean {
  let pure = true;
  mapExpr(e, (x) => {
    if (x.kind === "call" && !PURE_CALLS.has(x.fn)) pure = false;
    return x;
  });
  return pure;
}

/** Structural equality ignoring spans. */
export function sameExpr(a: IExpr, b: IExpr): boolean {
  return exprKey(a) === exprKey(b);
}

function exprKey(e: IExpr): string {
  return JSON.stringify(e, (k, v) => (k === "span" ? undefined : typeof v === "bigint" ? `${v}n` : v));
}
