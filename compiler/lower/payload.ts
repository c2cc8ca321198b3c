// payload.OP(...) (docs/LANGUAGE.md "Payload") → the nf/payload.h helpers. Offsets are counted from
// the payload's start, `nf_h.l4_end` as an offset from the frame's first byte; every access goes
// through the kernel's load/store helpers (bounds checked there). After a write or a resize the
// packet pointers are stale: `NF_REPARSE()` (defined by the view) parses again, and the headers the
// checker had proven present are required once more (they cannot move: only the tail changed).
import type { TExpr } from "../../lang/checked.js";
import { U8, type Ty } from "../../lang/types.js";
import { addr, call, cast, cmp, decl, evalStmt, ifStmt, int, v } from "../ir/build.js";
import { C_BE16, C_BE32, C_BOOL, C_INT, C_U16, C_U32, C_U64, C_U8, cSize, type CType } from "../ir/ctype.js";
import type { IExpr, IStmt } from "../ir/ir.js";
import { PKT } from "../names/allocator.js";
import { addressable, bug, type Lowerer } from "./context.js";
import { hdrPtr } from "./headers.js";

type Builtin = Extract<TExpr, { kind: "builtin" }>;

export function lowerPayload(cx: Lowerer, e: Builtin, args: IExpr[], out: IStmt[]): IExpr {
  const span = e.span;
  const tc = int(cx.prog.hook === "xdp" ? 0 : 1, C_INT, span);
  const ctx = v("ctx", C_U64, span);
  const off0 = v(`(__u32)((long)${PKT}.l4_end - (long)${PKT}.data)`, C_U32, span);
  const u64 = (x: IExpr): IExpr => cast(x, C_U64, span);
  const pl = (fn: string, rest: IExpr[], ty: CType): IExpr =>
    call(`nf_pl_${fn}`, [ctx, tc, off0, ...rest], ty, span);
  const buffer = (len: number, zero: boolean, prefix: string): IExpr => {
    const ty = cx.cty({ kind: "bytes", len });
    const name = cx.tmp(prefix);
    out.push(decl(name, ty, span, undefined, zero));
    return v(name, ty, span);
  };
  switch (e.name) {
    case "payload_len":
      return pl("len", [], C_U32);
    case "payload_u8":
    case "payload_u16":
    case "payload_u32": {
      const size = e.name === "payload_u8" ? 1 : e.name === "payload_u16" ? 2 : 4;
      const x = pl("be", [u64(args[0]!), int(size, C_U32, span)], C_U32);
      return size === 4 ? x : cast(x, size === 1 ? C_U8 : C_U16, span);
    }
    case "payload_starts_with": {
      const lit = args[0]!;
      const len = cSize(lit.ty);
      const buf = buffer(len, false, "head");
      const got = cx.temp(
        pl("copy", [u64(args[1]!), int(len, C_U64, span), addr(buf, span), int(len, C_U32, span)], C_U32),
        out,
        "got",
      );
      const eq = call(
        "nf_bytes_eq",
        [addr(buf, span), addressable(cx, lit, out), int(len, C_U32, span)],
        C_BOOL,
        span,
      );
      return {
        kind: "binary",
        op: "&&",
        left: cmp("==", got, int(len, C_U32, span), span),
        right: eq,
        ty: C_BOOL,
        span,
      };
    }
    case "payload_find": {
      const n = args[2]!;
      if (n.kind !== "int") return bug("payload.find without a constant length", span);
      const buf = buffer(Number(n.value), false, "scan");
      return pl(
        "find",
        [cast(args[0]!, C_U8, span), u64(args[1]!), addr(buf, span), int(n.value, C_U32, span)],
        C_U32,
      );
    }
    case "payload_slice": {
      const len = cSize(cx.cty(e.ty));
      const buf = buffer(len, true, "slice");
      out.push(
        evalStmt(
          pl("copy", [u64(args[0]!), u64(args[1]!), addr(buf, span), int(len, C_U32, span)], C_U32),
          span,
        ),
      );
      return buf;
    }
    case "payload_write": {
      const value = e.args[1]!;
      const src = wire(cx, value.ty, args[1]!, out);
      const cap = value.ty.kind === "bytes" ? value.ty.len : cSize(src.ty);
      const ok = cx.temp(
        pl("write", [u64(args[0]!), addressable(cx, src, out), u64(args[2]!), int(cap, C_U32, span)], C_INT),
        out,
        "ok",
      );
      reparse(cx, e, out);
      return cmp("!=", ok, int(0, C_INT, span), span);
    }
    case "payload_resize": {
      const ipOff = v(`(__u32)((long)${PKT}.ipv4 - (long)${PKT}.data)`, C_U32, span);
      const ok = cx.temp(pl("resize", [ipOff, u64(args[0]!)], C_INT), out, "ok");
      reparse(cx, e, out);
      return cmp("!=", ok, int(0, C_INT, span), span);
    }
    default:
      return bug(`unknown payload operation \`${e.name}\``, span);
  }
}

/** An integer written to the payload goes big-endian in its own width; bytes go as they are. */
function wire(cx: Lowerer, ty: Ty, x: IExpr, out: IStmt[]): IExpr {
  if (ty.kind !== "int") return x;
  const span = x.span;
  if (ty.bits === 8 || ty === U8) return cx.temp(cast(x, C_U8, span), out, "wire");
  if (ty.bits === 16) return cx.temp(call("bpf_htons", [cast(x, C_U16, span)], C_BE16, span), out, "wire");
  return cx.temp(call("bpf_htonl", [cast(x, C_U32, span)], C_BE32, span), out, "wire");
}

/** The packet changed: parse it again and require the headers proven present before. */
function reparse(cx: Lowerer, e: Builtin, out: IStmt[]): void {
  const span = e.span;
  cx.reparse = true;
  out.push(evalStmt(call("NF_REPARSE", [], C_INT, span), span));
  const present = (e.present ?? []).map((h) => hdrPtr(cx, h, span));
  if (present.length === 0) return;
  const all = present.reduce((a, b): IExpr => ({
    kind: "binary",
    op: "&&",
    left: a,
    right: b,
    ty: C_BOOL,
    span,
  }));
  const abort = v(cx.prog.hook === "xdp" ? "XDP_ABORTED" : "TC_ACT_SHOT", C_INT, span);
  out.push(
    ifStmt(
      { kind: "unary", op: "!", operand: all, ty: C_BOOL, span },
      [{ kind: "return", value: abort, span }],
      [],
      span,
    ),
  );
}
