// IR expressions → C text. Only spelling: every semantic choice is already in the IR. Binary
// operands that are themselves binary get parentheses (except chains of the same && / ||), which
// keeps clang's -Wparentheses quiet and the C unambiguous to a reader.
import { assertNever } from "../../lang/types.js";
import { cName } from "../ir/ctype.js";
import type { IExpr } from "../ir/ir.js";
import { intLiteral } from "../lower/values.js";

const enum P {
  Cond = 3,
  Binary = 4,
  Unary = 15,
  Postfix = 16,
}

interface Out {
  text: string;
  prec: number;
  op?: string;
}

export function printExpr(e: IExpr): string {
  return pr(e).text;
}

function wrap(o: Out, min: number): string {
  return o.prec < min ? `(${o.text})` : o.text;
}

function pr(e: IExpr): Out {
  switch (e.kind) {
    case "int": {
      const bits = e.ty.kind === "int" ? e.ty.bits : 32;
      // an annotated u32 constant is an address: all eight hex digits
      const addrLit =
        e.comment && bits === 32 && e.value >= 0n
          ? `0x${e.value.toString(16).padStart(8, "0")}${e.value > 0x7fffffffn ? "U" : ""}`
          : undefined;
      // Every constant above INT_MAX carries its suffix whatever its C type (`__be64`, `int`, ...):
      // a bare decimal above 2^63 is -Wimplicitly-unsigned-literal under -Werror.
      const lit =
        addrLit ??
        (e.value < 0n
          ? `-${(-e.value).toString()}`
          : intLiteral(e.value, e.ty.kind === "int" ? bits : e.value > 0xffffffffn ? 64 : 32));
      return {
        text: e.comment ? `${lit} /* ${e.comment} */` : lit,
        prec: e.value < 0n ? P.Unary : P.Postfix,
      };
    }
    case "bool":
      return { text: e.value ? "true" : "false", prec: P.Postfix };
    case "var":
      return { text: e.name, prec: P.Postfix };
    case "hdr":
      return { text: e.cvar, prec: P.Postfix };
    case "pkt": {
      const ptr = wrap(pr(e.ptr), P.Postfix);
      if (e.member && e.ty.kind !== "struct") return { text: `${ptr}->${e.member}`, prec: P.Postfix };
      return { text: `*${pktAddr(e)}`, prec: P.Unary };
    }
    case "member": {
      if (e.base.kind === "deref")
        return { text: `${wrap(pr(e.base.ptr), P.Postfix)}->${e.field}`, prec: P.Postfix };
      return { text: `${wrap(pr(e.base), P.Postfix)}.${e.field}`, prec: P.Postfix };
    }
    case "index":
      return { text: `${wrap(pr(e.base), P.Postfix)}[${pr(e.index).text}]`, prec: P.Postfix };
    case "deref":
      return { text: `*${wrap(pr(e.ptr), P.Unary)}`, prec: P.Unary };
    case "addr": {
      if (e.of.kind === "pkt")
        return {
          text:
            e.of.member && e.of.ty.kind !== "struct"
              ? `&${wrap(pr(e.of.ptr), P.Postfix)}->${e.of.member}`
              : pktAddr(e.of),
          prec: P.Unary,
        };
      if (e.of.kind === "deref") return pr(e.of.ptr);
      return { text: `&${wrap(pr(e.of), P.Unary)}`, prec: P.Unary };
    }
    case "binary": {
      const chain = (x: IExpr) =>
        x.kind === "binary" && x.op === e.op && (e.op === "&&" || e.op === "||")
          ? pr(x).text
          : wrap(operand(x), P.Unary);
      return { text: `${chain(e.left)} ${e.op} ${chain(e.right)}`, prec: P.Binary, op: e.op };
    }
    case "unary": {
      // `- -x` must not print as C's `--x` (a decrement): a same-sign operand gets parentheses.
      const inner = wrap(operand(e.operand), P.Unary);
      return {
        text: `${e.op}${e.op === "-" && inner.startsWith("-") ? `(${inner})` : inner}`,
        prec: P.Unary,
      };
    }
    case "cast":
      return { text: `(${cName(e.ty)})${wrap(pr(e.expr), P.Unary)}`, prec: P.Unary };
    case "cond":
      return {
        text: `${wrap(pr(e.cond), P.Unary)} ? ${wrap(pr(e.then), P.Unary)} : ${wrap(pr(e.else), P.Unary)}`,
        prec: P.Cond,
      };
    case "call":
      return { text: `${e.fn}(${e.args.map((a) => pr(a).text).join(", ")})`, prec: P.Postfix };
    case "mapref":
      return { text: `&${e.map}`, prec: P.Unary };
    default:
      return assertNever(e);
  }
}

/** An operand of arithmetic: a u32/u64 constant carries its C type (`666ULL`), since a bare
 *  `666` is an int and `~666 >> 35` or `1 << 31` would be computed at the wrong width (found by
 *  test/fuzz). Elsewhere C converts a plain constant to the right type, so it stays plain. */
function operand(x: IExpr): Out {
  if (x.kind !== "int" || x.comment || x.ty.kind !== "int" || x.value < 0n || x.ty.bits < 32) return pr(x);
  const text = pr(x).text.replace(/U?L*$/, "");
  return { text: `${text}${x.ty.bits === 64 ? "ULL" : "U"}`, prec: P.Postfix };
}

/** A typed pointer to a packet field: `(struct nf_mac *)&h.eth->h_dest`, `(__u8 *)h.tcp + 13`. */
function pktAddr(e: IExpr & { kind: "pkt" }): string {
  const ptr = wrap(pr(e.ptr), P.Postfix);
  const t = `(${cName(e.ty)} *)`;
  if (e.member) return `${t}&${ptr}->${e.member}`;
  if (e.offset === 0) return `${t}${ptr}`;
  return `${t}((__u8 *)${ptr} + ${e.offset})`;
}
