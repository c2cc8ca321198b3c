// Built-in functions (docs/LANGUAGE.md "Built-in functions") → helpers and stdlib calls.
import type { TExpr } from "../../lang/checked.js";
import type { Span } from "../../lang/span.js";
import { assign, call, cast, cmp, cond, decl, ifStmt, int, member, v } from "../ir/build.js";
import { C_BE16, C_BE32, C_BOOL, C_FLOW5, C_U32, C_U64, C_U8, cSize, type CType } from "../ir/ctype.js";
import type { IExpr, IStmt } from "../ir/ir.js";
import { addressable, bug, type Lowerer } from "./context.js";
import { hdrPtr } from "./headers.js";
import { lowerPayload } from "./payload.js";

type Builtin = Extract<TExpr, { kind: "builtin" }>;

export function lowerBuiltin(cx: Lowerer, e: Builtin, args: IExpr[], out: IStmt[]): IExpr {
  const span = e.span;
  switch (e.name) {
    case "now_ns":
      return call("nf_now_ns", [], C_U64, span); // stdlib: bpf_ktime_get_ns() or the test clock
    case "cpu":
      return call("bpf_get_smp_processor_id", [], C_U32, span);
    case "pkt_len":
      // XDP: the helper, not `data_end - data`: clang may fold later arithmetic into that pointer
      // difference, and the verifier refuses arithmetic on pkt_end. TC: skb->len, as an rvalue
      // (a cast) so nothing ever takes the address of a context field.
      return cx.prog.hook === "xdp"
        ? call("bpf_xdp_get_buff_len", [v("ctx", C_U32, span)], C_U32, span)
        : cast(v("ctx->len", C_U32, span), C_U32, span);
    case "min":
    case "max": {
      const [a, b] = [cx.hoist(args[0]!, out), cx.hoist(args[1]!, out)];
      return cond(cmp(e.name === "min" ? "<" : ">", a, b, span), a, b, a.ty, span);
    }
    case "hash": {
      const x = args[0]!;
      const p = addressable(cx, x, out);
      return call("nf_hash64", [p, int(cSize(x.ty), C_U32, span), int(0, C_U64, span)], C_U64, span);
    }
    case "flow5":
      return flow5(cx, span, out);
    case "set_tstamp":
      // TC only (the checker's NF3025): the earliest departure time the fq qdisc honours.
      out.push(assign(v("ctx->tstamp", C_U64, span), args[0]!, span));
      return int(0, { kind: "void" }, span);
    default:
      if (e.name.startsWith("payload_")) return lowerPayload(cx, e, args, out);
      return bug(`unknown builtin \`${(e as Builtin).name}\``, span);
  }
}

/** The IPv4 5-tuple, ports as on the wire (nf/common.h), zero padding; ports 0 unless TCP/UDP. */
function flow5(cx: Lowerer, span: Span, out: IStmt[]): IExpr {
  const name = cx.tmp("flow");
  const f = v(name, C_FLOW5, span);
  const pkt = (header: string, member: string, offset: number, ty: CType): IExpr => ({
    kind: "pkt",
    header,
    ptr: hdrPtr(cx, header, span),
    offset,
    member,
    ty,
    span,
  });
  out.push(decl(name, C_FLOW5, span, undefined, true));
  out.push(assign(member(f, "src", C_BE32, span), pkt("ipv4", "saddr", 12, C_BE32), span));
  out.push(assign(member(f, "dst", C_BE32, span), pkt("ipv4", "daddr", 16, C_BE32), span));
  out.push(assign(member(f, "proto", C_U8, span), pkt("ipv4", "protocol", 9, C_U8), span));
  const ports = (l4: string): IStmt[] => [
    assign(member(f, "sport", C_BE16, span), pkt(l4, "source", 0, C_BE16), span),
    assign(member(f, "dport", C_BE16, span), pkt(l4, "dest", 2, C_BE16), span),
  ];
  // The presence tests go through nf_present(): knowing at most one of tcp/udp is set (the parser)
  // and the ports at the same offsets in both, clang loads them through `tcp | udp`, which the
  // verifier refuses on pointers ("bitwise operator |= on pointer", topk<flow5> in a loop).
  const present = (h: string) => call("nf_present", [hdrPtr(cx, h, span)], C_BOOL, span);
  out.push(ifStmt(present("tcp"), ports("tcp"), [ifStmt(present("udp"), ports("udp"), [], span)], span));
  return f;
}
