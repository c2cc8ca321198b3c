// Statements: TStmt → IR statements. Bindings of headers alias the header pointer (`if (!h.ipv4)
// { else }`); bindings of `get` keep the map value pointer (`if (!p) { else }`); assignments
// compute `target op value` with the arithmetic rules of arith.ts, then store (header fields
// through headers.ts, which adds the checksum updates); `match` becomes an if/else chain.
import type { LocalSym, LValue, TCond, TExpr, TPattern, TStmt } from "../../lang/checked.js";
import { assertNever } from "../../lang/types.js";
import { assign, bin, cmp, decl, deref, evalStmt, ifStmt, index, int, member, not, v } from "../ir/build.js";
import { C_BOOL, C_U32, C_U64, C_U8, ptrTo } from "../ir/ctype.js";
import type { IExpr, IStmt } from "../ir/ir.js";
import { lowerBinary } from "./arith.js";
import { bug, type Lowerer } from "./context.js";
import { lowerEmit } from "./events.js";
import { computedIndex, fieldOf, lowerExpr } from "./expressions.js";
import { hdrPtr, readField, writeField } from "./headers.js";
import { redirectExpr, verdictExpr } from "./verdicts.js";

export function lowerBlock(cx: Lowerer, stmts: TStmt[]): IStmt[] {
  const out: IStmt[] = [];
  for (const s of stmts) lowerStmt(cx, s, out);
  return out;
}

function lowerStmt(cx: Lowerer, s: TStmt, out: IStmt[]): void {
  const span = s.span;
  switch (s.kind) {
    case "let": {
      const val = lowerExpr(cx, s.value, out);
      out.push(decl(cx.localName(s.sym), cx.cty(s.sym.ty), span, val));
      return;
    }
    case "bind": {
      const present = bindSource(cx, s.sym, s.source, out);
      out.push(ifStmt(not(present, span), lowerBlock(cx, s.else), [], span));
      return;
    }
    case "assign":
      assignTo(cx, s.target, s.op, s.value, out);
      return;
    case "if": {
      const c = lowerCond(cx, s.cond, out);
      out.push(ifStmt(c, lowerBlock(cx, s.then), lowerBlock(cx, s.else), span));
      return;
    }
    case "match": {
      const x = cx.hoist(lowerExpr(cx, s.scrutinee, out), out);
      let chain: IStmt[] = [];
      for (const arm of [...s.arms].reverse()) {
        const body = lowerBlock(cx, arm.body);
        const c = armCond(x, arm.patterns, arm.span);
        chain = c ? [ifStmt(c, body, chain, arm.span)] : body;
      }
      out.push(...chain);
      return;
    }
    case "for": {
      const ty = cx.cty(s.sym.ty);
      const wide = ty.kind === "int" && ty.bits === 64 ? C_U64 : C_U32;
      out.push({
        kind: "loop",
        var: cx.localName(s.sym),
        varTy: wide,
        lo: s.lo,
        hi: s.hi,
        body: lowerBlock(cx, s.body),
        span,
      });
      return;
    }
    case "repeat":
      out.push({
        kind: "loop",
        var: cx.tmp("rep"),
        varTy: C_U32,
        lo: 0n,
        hi: s.count,
        body: lowerBlock(cx, s.body),
        span,
      });
      return;
    case "break":
      out.push({ kind: "break", span });
      return;
    case "expr": {
      const e = lowerExpr(cx, s.expr, out);
      if (!(e.ty.kind === "void" && e.kind === "int")) out.push(evalStmt(forEffect(e), span));
      return;
    }
    case "verdict":
      out.push({ kind: "return", value: verdictExpr(cx.prog.hook, s.verdict, span), span });
      return;
    case "redirect":
      out.push({ kind: "return", value: redirectExpr(lowerExpr(cx, s.ifindex, out), span), span });
      return;
    case "emit":
      lowerEmit(cx, s, out);
      return;
    default:
      return assertNever(s);
  }
}

/** Binds `sym` to a header or an optional map value; returns the "present" test. */
function bindSource(cx: Lowerer, sym: LocalSym, source: TExpr, out: IStmt[]): IExpr {
  if (source.ty.kind === "header" || source.kind === "header") {
    const header =
      source.kind === "header"
        ? source.header
        : source.ty.kind === "header"
          ? source.ty.name
          : bug("header binding", source.span);
    cx.headerSyms.set(sym.id, header);
    return hdrPtr(cx, header, source.span);
  }
  if (source.ty.kind !== "option") bug(`binding of a ${source.ty.kind}`, source.span);
  const p = lowerExpr(cx, source, out);
  const name = cx.localName(sym);
  cx.ptrSyms.add(sym.id);
  out.push(decl(name, p.ty.kind === "ptr" ? p.ty : ptrTo(cx.cty(source.ty.inner)), source.span, p));
  return v(name, p.ty, source.span);
}

function lowerCond(cx: Lowerer, c: TCond, out: IStmt[]): IExpr {
  if (c.kind === "expr") return lowerExpr(cx, c.expr, out);
  return bindSource(cx, c.sym, c.source, out);
}

function armCond(x: IExpr, pats: TPattern[], span: IExpr["span"]): IExpr | undefined {
  let c: IExpr | undefined;
  for (const p of pats) {
    let t: IExpr;
    if (p.kind === "wildcard") return undefined;
    if (p.kind === "value") t = cmp("==", x, int(p.value, x.ty, span), span);
    else
      t = bin(
        "&&",
        cmp(">=", x, int(p.lo, x.ty, span), span),
        cmp("<", x, int(p.hi, x.ty, span), span),
        C_BOOL,
        span,
      );
    c = c ? bin("||", c, t, C_BOOL, span) : t;
  }
  return c;
}

/** `target op= value`. */
function assignTo(cx: Lowerer, target: LValue, op: string, value: TExpr, out: IStmt[]): void {
  const span = target.span;
  if (target.kind === "counter") {
    out.push({ kind: "counter", name: target.name, value: lowerExpr(cx, value, out), span });
    return;
  }
  const header = lvalueHeader(cx, target);
  const byteOfHeader = target.kind === "index" ? lvalueHeader(cx, target.base) : undefined;
  let val = lowerExpr(cx, value, out);
  if (target.kind === "index") {
    // one byte of a bytes[N]: of a header's field, the whole field is read, changed on the stack
    // and written back (a field write, bounds-checked like any other). The index is evaluated once;
    // a computed one guards the read and the write (≥ N writes nothing) and goes through nf_index.
    const len =
      target.base.ty.kind === "bytes" ? target.base.ty.len : bug("index into a non-bytes value", span);
    const base = byteOfHeader
      ? cx.temp(readField(cx, byteOfHeader.header, byteOfHeader.field, span), out)
      : lvalueExpr(cx, target.base, out);
    const i = cx.hoist(lowerExpr(cx, target.index, out), out);
    const byte = index(member(base, "b", C_U8, span), computedIndex(i, span), C_U8, span);
    const change: IStmt[] = [];
    if (op !== "=")
      val = lowerBinary(
        cx,
        op.slice(0, -1) as Parameters<typeof lowerBinary>[1],
        target.ty,
        byte,
        val,
        span,
        change,
      );
    change.push(assign(byte, val, span));
    if (i.kind !== "int") out.push(ifStmt(cmp("<", i, int(len, C_U32, span), span), change, [], span));
    else if (i.value < BigInt(len)) out.push(...change);
    if (byteOfHeader) writeField(cx, byteOfHeader.header, byteOfHeader.field, base, span, out);
    return;
  }
  if (op !== "=") {
    const cur = header ? readField(cx, header.header, header.field, span) : lvalueExpr(cx, target, out);
    val = lowerBinary(
      cx,
      op.slice(0, -1) as Parameters<typeof lowerBinary>[1],
      target.ty,
      cur,
      val,
      span,
      out,
    );
  }
  if (header) {
    writeField(cx, header.header, header.field, val, span, out);
    return;
  }
  const lhs = lvalueExpr(cx, target, out);
  if (target.kind === "field" && lhs.kind === "call") {
    // a flow5 port: stored in wire order
    out.push(
      assign(lhs.args[0]!, { kind: "call", fn: "bpf_htons", args: [val], ty: lhs.args[0]!.ty, span }, span),
    );
    return;
  }
  out.push(assign(lhs, val, span));
}

function lvalueHeader(cx: Lowerer, t: LValue): { header: string; field: string } | undefined {
  if (t.kind === "hfield") return { header: t.header, field: t.field };
  if (t.kind === "field" && t.base.kind === "local") {
    const h = cx.headerSyms.get(t.base.sym.id);
    if (h) return { header: h, field: t.field };
  }
  return undefined;
}

/** An lvalue as an IR expression (locals, struct fields of locals and of map value pointers). */
function lvalueExpr(cx: Lowerer, t: LValue, out: IStmt[]): IExpr {
  const span = t.span;
  switch (t.kind) {
    case "local": {
      const name = cx.localName(t.sym);
      if (cx.ptrSyms.has(t.sym.id))
        return deref(v(name, ptrTo(cx.cty(t.ty.kind === "ref" ? t.ty.inner : t.ty)), span), span);
      return v(name, cx.cty(t.ty), span);
    }
    case "field": {
      const base = lvalueExpr(cx, t.base, out);
      const bt = t.base.ty.kind === "ref" ? t.base.ty.inner : t.base.ty;
      if (bt.kind !== "struct") bug(`field of a non-struct ${bt.kind}`, span);
      return fieldOf(cx, base, bt, t.field, t.ty, span);
    }
    case "index": {
      const base = lvalueExpr(cx, t.base, out);
      const i = lowerExpr(cx, t.index, out);
      return index(member(base, "b", C_U8, span), i, C_U8, span);
    }
    case "hfield":
    case "counter":
      return bug(`${t.kind} is not a plain lvalue`, span);
    default:
      return assertNever(t);
  }
}

/** An expression evaluated only for its effect: drop result tests around the call (`== 0`, `!= NULL`). */
function forEffect(e: IExpr): IExpr {
  if (
    e.kind === "binary" &&
    (e.op === "==" || e.op === "!=") &&
    (e.right.kind === "int" || e.right.kind === "var") &&
    e.left.kind === "call"
  )
    return e.left;
  if (e.kind === "unary" && e.op === "!") return forEffect(e.operand);
  return e;
}
