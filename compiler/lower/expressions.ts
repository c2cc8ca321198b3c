// Expressions: TExpr → IR expression plus the statements that must run first (`out`): temporaries
// for map keys, aggregate literals, operands used twice (division guards, min/max) and the
// right-hand side of a short-circuit operator that needs statements.
import { member as cMember } from "../names/allocator.js";
import type { TExpr } from "../../lang/checked.js";
import { assertNever, type Ty } from "../../lang/types.js";
import { assign, call, cast, cmp, decl, deref, ifStmt, index, int, member, not, v } from "../ir/build.js";
import { C_BOOL, C_U16, C_U32, C_U8, ptrTo } from "../ir/ctype.js";
import type { IExpr, IStmt } from "../ir/ir.js";
import type { Span } from "../../lang/span.js";
import { lowerOp } from "../blocks/index.js";
import { lowerBinary, lowerCast, lowerUnary } from "./arith.js";
import { lowerBuiltin } from "./builtins.js";
import { bug, isSimple, type Lowerer } from "./context.js";
import { hdrPtr, readField } from "./headers.js";
import { valueExpr } from "./values.js";

export function lowerExpr(cx: Lowerer, e: TExpr, out: IStmt[]): IExpr {
  const span = e.span;
  switch (e.kind) {
    case "lit":
      return valueExpr(cx, e.value, e.ty, span, out);
    case "local": {
      const h = cx.headerSyms.get(e.sym.id);
      if (h) return hdrPtr(cx, h, span);
      const name = cx.localName(e.sym);
      if (cx.ptrSyms.has(e.sym.id)) {
        const inner = e.ty.kind === "ref" || e.ty.kind === "option" ? e.ty.inner : e.ty;
        return deref(v(name, ptrTo(cx.cty(inner)), span), span);
      }
      return v(name, cx.cty(e.ty), span);
    }
    case "config": {
      // An aggregate config (ip6, mac) is read into a local: helpers take `const T *`, and a
      // pointer to the `const volatile` global would drop its qualifier (-Werror).
      const g = v(cx.configSym(e.name), cx.cty(e.ty), span);
      return g.ty.kind === "struct" ? cx.temp(g, out) : g;
    }
    case "header":
      return hdrPtr(cx, e.header, span);
    case "hfield":
      return readField(cx, e.header, e.field, span);
    case "field": {
      const header = headerOf(cx, e.base);
      if (header) return readField(cx, header, e.field, span);
      const base = lowerExpr(cx, e.base, out);
      return fieldOf(cx, base, structOf(e.base.ty), e.field, e.ty, span);
    }
    case "index": {
      let base = lowerExpr(cx, e.base, out);
      const len = e.base.ty.kind === "bytes" ? e.base.ty.len : bug("index into a non-bytes value", span);
      const i = lowerExpr(cx, e.index, out);
      // A computed index into packet bytes: index a stack copy (a packet pointer plus a variable
      // loses its bounds check in the verifier).
      if (i.kind !== "int" && base.kind === "pkt") base = cx.temp(base, out);
      const bytes = member(base, "b", C_U8, span);
      if (i.kind === "int") return i.value < BigInt(len) ? index(bytes, i, C_U8, span) : int(0, C_U8, span);
      const ii = cx.hoist(i, out);
      return {
        kind: "cond",
        cond: cmp("<", ii, int(len, C_U32, span), span),
        then: index(bytes, computedIndex(ii, span), C_U8, span),
        else: int(0, C_U8, span),
        ty: C_U8,
        span,
      };
    }
    case "binary": {
      if (e.op === "&&" || e.op === "||") return shortCircuit(cx, e.op, e.left, e.right, out);
      let l = lowerExpr(cx, e.left, out);
      const rOut: IStmt[] = [];
      const r = lowerExpr(cx, e.right, rOut);
      if (rOut.length > 0 && !isSimple(l)) l = cx.temp(l, out); // keep left-to-right evaluation
      out.push(...rOut);
      return lowerBinary(cx, e.op, e.left.ty, l, r, span, out);
    }
    case "unary":
      return lowerUnary(e.op, e.operand.ty, lowerExpr(cx, e.operand, out), span);
    case "cast":
      return lowerCast(e.expr.ty, e.ty, lowerExpr(cx, e.expr, out), cx.cty(e.ty), span);
    case "builtin": {
      const args = e.args.map((a) => lowerExpr(cx, a, out));
      return lowerBuiltin(cx, e, args, out);
    }
    case "op": {
      const args = e.args.map((a) => lowerExpr(cx, a, out));
      return lowerOp(cx, e, args, out);
    }
    case "struct": {
      const t = e.ty.kind === "struct" ? e.ty : bug("struct literal of a non-struct type", span);
      const name = cx.tmp("lit");
      const cty = cx.cty(t);
      out.push(decl(name, cty, span, undefined, true));
      const target = v(name, cty, span);
      for (const f of e.fields) {
        const fty = t.fields.find((x) => x.name === f.name)?.ty ?? bug(`unknown field \`${f.name}\``, span);
        let val = lowerExpr(cx, f.value, out);
        if (t.name === "flow5" && (f.name === "sport" || f.name === "dport"))
          val = call("bpf_htons", [val], { kind: "be", bits: 16 }, span);
        out.push(assign(member(target, cMember(f.name), cx.cty(fty), span), val, span));
      }
      return target;
    }
    default:
      return assertNever(e);
  }
}

/** The header a `.field` base names (a header, or a local bound to one), if any. */
function headerOf(cx: Lowerer, base: TExpr): string | undefined {
  if (base.kind === "header") return base.header;
  if (base.kind === "local") return cx.headerSyms.get(base.sym.id);
  if (base.ty.kind === "header") return base.ty.name;
  return undefined;
}

function structOf(t: Ty): Ty & { kind: "struct" } {
  const s = t.kind === "ref" || t.kind === "option" ? t.inner : t;
  return s.kind === "struct" ? s : bug(`field of a non-struct ${s.kind}`);
}

/** `base.field` of a struct value; flow5 ports are stored in wire order, read as host numbers. */
export function fieldOf(
  cx: Lowerer,
  base: IExpr,
  st: Ty & { kind: "struct" },
  field: string,
  ty: Ty,
  span: TExpr["span"],
): IExpr {
  if (st.name === "flow5" && (field === "sport" || field === "dport")) {
    return call("bpf_ntohs", [member(base, field, { kind: "be", bits: 16 }, span)], C_U16, span);
  }
  return member(base, cMember(field), cx.cty(ty), span);
}

/** `a && b` / `a || b`; when `b` needs statements they run only if `a` does not decide. */
function shortCircuit(cx: Lowerer, op: "&&" | "||", left: TExpr, right: TExpr, out: IStmt[]): IExpr {
  const span = left.span;
  const l = lowerExpr(cx, left, out);
  const rOut: IStmt[] = [];
  const r = lowerExpr(cx, right, rOut);
  if (rOut.length === 0) return { kind: "binary", op, left: l, right: r, ty: C_BOOL, span };
  const name = cx.tmp("cc");
  const t = v(name, C_BOOL, span);
  out.push(decl(name, C_BOOL, span, l));
  out.push(ifStmt(op === "&&" ? t : not(t, span), [...rOut, assign(t, r, span)], [], span));
  return t;
}

/** Reads a value of type `t` as a boolean condition. */
export function truthy(e: IExpr): IExpr {
  return e.ty.kind === "bool" ? e : cast(e, C_BOOL, e.span);
}

/** An array index as the C uses it: a computed one through nf_index() (nf/common.h), so that clang
 *  cannot OR it into an aligned stack address, which the verifier refuses on a pointer (F18). */
export function computedIndex(i: IExpr, span: Span): IExpr {
  return i.kind === "int" ? i : call("nf_index", [i], i.ty, span);
}
