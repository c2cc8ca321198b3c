// cuckoo<K, V> through runtime-kmod (ABI 2): the SAME map and bucket layout as the pure lowering
// (../cuckoo.ts; `{u16 sig[16]; slot[16]}` is exactly nfc_rt_bucket_lookup's layout), but the key
// is hashed with CRC-32C and each bucket is searched by one fused kfunc (SIMD signature compare +
// memcmp of the candidates). Placement therefore differs from the pure object (the interpreter
// models it: lang/interp/kinds/cuckoo.ts, backend "kmod"). Per operation:
//   __u32 crc = nfc_rt_crc32c((u32)seed, &k, ksz);  b1 = crc & mask;  sig = nf_cuckoo_crc_sig(crc)
//   void *bk = nf_cuckoo_bucket(&t, b1);
//   int lane = bk ? nfc_rt_bucket_lookup(bk, BSZ, &k, ksz, sig) : -1;
//   if (lane < 0) { bk = nf_cuckoo_bucket(&t, nf_cuckoo_alt(b1, sig, mask)); lane = … same … }
// then get / contains → nf_cuckoo_value_at(bk, lane, …), insert → nf_cuckoo_insert_at(…) (the
// free-lane scan and displacement are the stdlib's SWAR code: rare and write-side), remove →
// nf_cuckoo_remove_at(bk, lane, …).
import type { StateDecl } from "../../../lang/checked.js";
import { structureSeed } from "../../../lang/hash.js";
import { assign, call, cast, cmp, cond, decl, ifStmt, int, v } from "../../ir/build.js";
import { C_BOOL, C_INT, C_U32, C_VOID, ptrTo } from "../../ir/ctype.js";
import type { IExpr } from "../../ir/ir.js";
import { bug } from "../../lower/context.js";
import { num, stackTemp, type BlockLowering } from "../common.js";
import { cuckooArgs, declareCuckoo, u32Temp } from "../cuckoo.js";

/**
 * compiler/backend/choice.ts rule: measured, the kfunc path does NOT pay, so `--runtime auto`
 * keeps cuckoo on pure BPF and `--runtime kmod` forces this lowering. runtime-kmod/bench/cuckoo.bpf.c
 * under vm/icount.sh (6.1, -cpu max, 1024 slots, 16-byte keys, per lookup incl. hashing): pure
 * nf_hash64 + SWAR 106/113/121/143 guest instructions at 25/50/75/100 % load, kmod nfc_rt_crc32c +
 * nfc_rt_bucket_lookup 223/224/228/255 (two kfunc calls, kernel_fpu_begin/end per bucket).
 */
export const cuckooKmodRule = {
  param: "capacity",
  threshold: Number.POSITIVE_INFINITY,
  pays: (_v: number, op: string) => `${op}: CRC-32C + fused SIMD bucket search`,
  doesNotPay: () =>
    "SWAR signature compare in BPF: ~110–140 guest instructions per lookup vs ~225–255 through nfc_rt_crc32c + nfc_rt_bucket_lookup (runtime-kmod/bench/cuckoo.bpf.c icount); --runtime kmod forces it",
  unfit: (st: StateDecl): string | undefined =>
    st.value ? undefined : `cuckoo \`${st.name}\` has no value type`,
};

export const kmodCuckooLowering: BlockLowering = {
  declare: (cx, st) => declareCuckoo(cx, st, "crc32c"),
  op(cx, st, e, args, out) {
    const span = e.span;
    const a = cuckooArgs(cx, st, args[0]!, out, span);
    const u32 = (n: number) => int(n, C_U32, span);
    const seed = Number(structureSeed(st.name) & 0xffffffffn);
    const crc = u32Temp(
      cx,
      "crc",
      call("nfc_rt_crc32c", [u32(seed), a.key, a.keySizes[0]!], C_U32, span),
      out,
    );
    const b1 = u32Temp(cx, "b1", call("nf_cuckoo_b1", [crc, a.mask], C_U32, span), out);
    const sig = u32Temp(cx, "sig", call("nf_cuckoo_crc_sig", [crc], C_U32, span), out);
    const vp = ptrTo(C_VOID);
    const bkName = cx.tmp("bk");
    const laneName = cx.tmp("lane");
    const bk = v(bkName, vp, span);
    const lane = v(laneName, C_INT, span);
    const nul = v("NULL", vp, span);
    const search = (): IExpr =>
      cond(
        cmp("!=", bk, nul, span),
        call("nfc_rt_bucket_lookup", [bk, u32(a.g.bucketBytes), a.key, a.keySizes[0]!, sig], C_INT, span),
        int(-1, C_INT, span),
        C_INT,
        span,
      );
    out.push(decl(bkName, vp, span, call("nf_cuckoo_bucket", [a.m, b1], vp, span)));
    out.push(decl(laneName, C_INT, span, search()));
    out.push(
      ifStmt(
        cmp("<", lane, int(0, C_INT, span), span),
        [
          assign(
            bk,
            call("nf_cuckoo_bucket", [a.m, call("nf_cuckoo_alt", [b1, sig, a.mask], C_U32, span)], vp, span),
            span,
          ),
          assign(lane, search(), span),
        ],
        [],
        span,
      ),
    );
    const at = [bk, lane, ...a.keySizes, ...a.valueSizes];
    const vt = cx.cty(st.value!);
    switch (e.op) {
      case "get":
        return cast(call("nf_cuckoo_value_at", at, vp, span), ptrTo(vt), span);
      case "contains":
        return call("nf_present", [call("nf_cuckoo_value_at", at, vp, span)], C_BOOL, span);
      case "insert": {
        const val = stackTemp(cx, vt, args[1]!, out, "val");
        const kicks = u32(num(st, "max_kicks"));
        return call(
          "nf_cuckoo_insert_at",
          [a.m, a.mask, kicks, b1, sig, bk, lane, a.key, ...a.keySizes, val, ...a.valueSizes],
          C_BOOL,
          span,
        );
      }
      case "remove":
        return call("nf_cuckoo_remove_at", at, C_BOOL, span);
      default:
        return bug(`unknown cuckoo operation \`${e.op}\``, span);
    }
  },
};
