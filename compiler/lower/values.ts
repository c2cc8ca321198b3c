// Compile-time values (lang/checked.ts `Value`) as IR. Integers are typed constants; an ip4 literal
// is `bpf_htonl(0x0a000001)` (a constant the compiler folds) with the dotted form as a comment;
// ip6, mac, bytes and struct values are built in a zeroed temporary. Config initialisers are C
// constant initialisers rendered here (a decision, so it lives in TS, not in a template).
import { member as cMember } from "../names/allocator.js";
import type { Value } from "../../lang/checked.js";
import type { Span } from "../../lang/span.js";
import type { Ty } from "../../lang/types.js";
import { assign, bool, call, decl, index, int, member, v } from "../ir/build.js";
import { C_BE32, C_U32, C_U8 } from "../ir/ctype.js";
import type { IExpr, IStmt } from "../ir/ir.js";
import { bug, type Lowerer } from "./context.js";

export function ip4Text(b: number[]): string {
  return b.join(".");
}

export function bytesToNum(b: number[]): bigint {
  return b.reduce((acc, x) => (acc << 8n) | BigInt(x), 0n);
}

const hex = (n: bigint, digits: number): string => `0x${n.toString(16).padStart(digits, "0")}`;

/** A value as an IR expression; aggregates are built with statements in `out`. */
export function valueExpr(cx: Lowerer, val: Value, t: Ty, span: Span, out: IStmt[]): IExpr {
  const cty = cx.cty(t);
  switch (t.kind) {
    case "int":
      if (val.kind !== "int") break;
      return int(val.v, cty, span);
    case "bool":
      if (val.kind !== "bool") break;
      return bool(val.v, span);
    case "ip4":
      if (val.kind !== "bytes") break;
      return call("bpf_htonl", [int(bytesToNum(val.v), C_U32, span, ip4Text(val.v))], C_BE32, span);
    case "ip6":
    case "mac":
    case "bytes":
    case "struct": {
      const name = cx.tmp("lit");
      out.push(decl(name, cty, span, undefined, true));
      const target = v(name, cty, span);
      fillAggregate(cx, target, val, t, span, out);
      return target;
    }
    default:
      break;
  }
  bug(`value of kind ${val.kind} for type ${t.kind}`, span);
}

/** Stores `val` into an already zeroed aggregate lvalue (zero bytes are skipped). */
function fillAggregate(cx: Lowerer, target: IExpr, val: Value, t: Ty, span: Span, out: IStmt[]): void {
  if (t.kind === "ip6" && val.kind === "bytes") {
    const w = member(target, "w", C_U32, span);
    for (let i = 0; i < 4; i++) {
      const word = bytesToNum(val.v.slice(i * 4, i * 4 + 4));
      if (word !== 0n)
        out.push(
          assign(
            index(w, int(i, C_U32, span), C_BE32, span),
            call("bpf_htonl", [int(word, C_U32, span)], C_BE32, span),
            span,
          ),
        );
    }
    return;
  }
  if ((t.kind === "mac" || t.kind === "bytes") && val.kind === "bytes") {
    const b = member(target, "b", C_U8, span);
    val.v.forEach((x, i) => {
      if (x !== 0) out.push(assign(index(b, int(i, C_U32, span), C_U8, span), int(x, C_U8, span), span));
    });
    return;
  }
  if (t.kind === "struct" && val.kind === "struct") {
    for (const f of t.fields) {
      const fv = val.fields[f.name];
      if (!fv) continue;
      const fcty = cx.cty(f.ty);
      const ft = member(target, cMember(f.name), fcty, span);
      if (f.ty.kind === "ip6" || f.ty.kind === "mac" || f.ty.kind === "bytes" || f.ty.kind === "struct") {
        fillAggregate(cx, ft, fv, f.ty, span, out);
      } else {
        const e = valueExpr(cx, fv, f.ty, span, out);
        out.push(
          assign(
            ft,
            t.name === "flow5" && (f.name === "sport" || f.name === "dport")
              ? call("bpf_htons", [e], fcty, span)
              : e,
            span,
          ),
        );
      }
    }
    return;
  }
  bug(`value of kind ${val.kind} for type ${t.kind}`, span);
}

/** A C constant initialiser for a `const volatile` global (config defaults). */
export function initializer(val: Value, t: Ty): string {
  switch (t.kind) {
    case "int":
      if (val.kind === "int") return intLiteral(val.v, t.bits);
      break;
    case "bool":
      if (val.kind === "bool") return val.v ? "true" : "false";
      break;
    case "ip4":
      if (val.kind === "bytes") return `bpf_htonl(${hex(bytesToNum(val.v), 8)}) /* ${ip4Text(val.v)} */`;
      break;
    case "ip6":
      if (val.kind === "bytes") {
        const words = [0, 1, 2, 3].map(
          (i) => `bpf_htonl(${hex(bytesToNum(val.v.slice(i * 4, i * 4 + 4)), 8)})`,
        );
        return `{ .w = { ${words.join(", ")} } }`;
      }
      break;
    case "mac":
    case "bytes":
      if (val.kind === "bytes") return `{ .b = { ${val.v.map((x) => hex(BigInt(x), 2)).join(", ")} } }`;
      break;
    case "struct":
      if (val.kind === "struct") {
        const parts = t.fields
          .filter((f) => val.fields[f.name])
          .map((f) => `.${f.name} = ${initializer(val.fields[f.name]!, f.ty)}`);
        return `{ ${parts.join(", ")} }`;
      }
      break;
    default:
      break;
  }
  bug(`config initialiser of kind ${val.kind} for type ${t.kind}`);
}

/** An integer literal as C: decimal below 2^16, else hex; `U`/`ULL` suffix when C needs it. */
export function intLiteral(n: bigint, bits: number): string {
  const body = n < 65536n ? n.toString() : hex(n, 0);
  if (bits === 64 && n > 0xffffffffn) return `${body}ULL`;
  if (n > 0x7fffffffn) return `${body}U`;
  return body;
}
