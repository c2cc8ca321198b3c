// Verdicts per hook. XDP: XDP_PASS / XDP_DROP / XDP_TX / bpf_redirect(ifindex, 0).
// TC: TC_ACT_OK / TC_ACT_SHOT; `tx` = bpf_redirect(skb->ifindex, 0) (out of the interface the
// packet arrived on, i.e. the same interface's egress); redirect = bpf_redirect(ifindex, 0).
import type { Hook } from "../../lang/ast.js";
import type { Span } from "../../lang/span.js";
import { call, int, v } from "../ir/build.js";
import { C_INT, C_U32, C_U64 } from "../ir/ctype.js";
import type { IExpr } from "../ir/ir.js";

export function verdictExpr(hook: Hook, verdict: "pass" | "drop" | "tx", span: Span): IExpr {
  const xdp = hook === "xdp";
  switch (verdict) {
    case "pass":
      return v(xdp ? "XDP_PASS" : "TC_ACT_OK", C_INT, span);
    case "drop":
      return v(xdp ? "XDP_DROP" : "TC_ACT_SHOT", C_INT, span);
    case "tx":
      return xdp
        ? v("XDP_TX", C_INT, span)
        : call("bpf_redirect", [v("ctx->ifindex", C_U32, span), int(0, C_U64, span)], C_INT, span);
  }
}

export function redirectExpr(ifindex: IExpr, span: Span): IExpr {
  return call("bpf_redirect", [ifindex, int(0, C_U64, span)], C_INT, span);
}
