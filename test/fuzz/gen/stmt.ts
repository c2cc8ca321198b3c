// Handler statements. A block returns how it ends: "falls" through, always ends in a "verdict",
// or does not fall through but may "break" — so no statement is written where it cannot run and
// every path of the handler ends in a verdict (the checker's flow rules, lang/check/flow.ts).
import { canWrite, payloadChange } from "./payload.js";
import { maybeEmit } from "./events.js";
import { sizeOf, type Ty } from "../../../lang/types.js";
import { dataType } from "./decls.js";
import { on, type Gen } from "./ctx.js";
import { byteIndex, canMake, expr, paths, tryExpr } from "./expr.js";
import { callText, datapathCalls, optionCalls } from "./ops.js";
import { child, STACK_CAP, type Scope } from "./scope.js";
import { INTS, U32, U64, intLit, isInt, slotBytes, tyText, type IntTy } from "./types.js";

export type End = "falls" | "verdict" | "break";

const join = (a: End, b: End): End =>
  a === "falls" || b === "falls" ? "falls" : a === "break" || b === "break" ? "break" : "verdict";

export function verdict(g: Gen, sc: Scope): string {
  const v = g.r.weighted<string>([
    [4, "pass"],
    [4, "drop"],
    [2, "tx"],
    [1, "redirect"],
  ]);
  g.cov.feature(`verdict ${v}${sc.loops ? " in loop" : ""}`);
  return v === "redirect" ? `redirect(${g.r.chance(0.5) ? String(g.r.int(1, 8)) : expr(g, sc, U32, 2)})` : v;
}

function localTy(g: Gen, sc: Scope): Ty | undefined {
  const t = dataType(g, 48);
  return sc.stack + slotBytes(t) <= STACK_CAP ? t : undefined;
}

/** `let`/`var` of a fresh local; adds it to the scope. */
function declare(g: Gen, sc: Scope, lines: string[], ind: string): void {
  const t = localTy(g, sc);
  if (!t) return;
  const v = tryExpr(g, sc, t, 0);
  if (v === undefined) return;
  const mutable = g.r.chance(0.5);
  const name = g.names.fresh("local");
  // unannotated: an integer literal defaults to u64; otherwise the expression is anchored by a cast
  const annotate = !isInt(t) || g.r.chance(0.6);
  const bare = !annotate && /^(0x|0b)?[0-9a-f_]+$/.test(v);
  const ty = bare ? U64 : t;
  const init = annotate || bare ? v : `(${v}) as ${tyText(t)}`;
  lines.push(`${ind}${mutable ? "var" : "let"} ${name}${annotate ? `: ${tyText(ty)}` : ""} = ${init}`);
  sc.vals.push({ name, ty, mutable });
  sc.stack += slotBytes(ty);
  g.cov.feature(
    `${mutable ? "var" : "let"} ${ty.kind === "struct" ? (ty.name === "flow5" ? "flow5" : "struct") : ty.kind}`,
  );
}

function assign(g: Gen, sc: Scope, lines: string[], ind: string): void {
  const t = dataType(g, 64);
  const targets = paths(g, sc, t, true);
  if (g.r.chance(0.2)) {
    const b = byteIndex(g, sc, true);
    if (b) lines.push(`${ind}${b} = ${expr(g, sc, INTS[0]!, 1)}`);
    return;
  }
  if (!targets.length) return;
  const lhs = g.r.pick(targets);
  if (lhs.includes(".") && !sc.vals.some((v) => lhs.startsWith(v.name + ".")) && !on(g, "header-writes"))
    return;
  const v = tryExpr(g, sc, t, 1);
  if (v === undefined) return;
  const op = isInt(t) ? g.r.pick(["=", "+=", "-=", "*=", "|=", "&=", "^=", "<<=", ">>=", "="]) : "=";
  lines.push(`${ind}${lhs} ${op} ${v}`);
  const base = lhs.split(".")[0]!;
  const what = sc.vals.find((x) => x.name === base)
    ? sc.vals.find((x) => x.name === base)!.ref
      ? "table value"
      : "local"
    : "header field";
  g.cov.feature(`assign ${what}${lhs.includes(".") ? " field" : ""}`);
}

function ifStmt(g: Gen, sc: Scope, lines: string[], ind: string): End {
  lines.push(`${ind}if ${expr(g, sc, { kind: "bool" }, 0)} {`);
  let end = block(g, child(sc), lines, ind + "  ", false);
  let closed = false;
  while (!closed) {
    if (g.r.chance(0.25) && sc.depth < 6) {
      lines.push(`${ind}} else if ${expr(g, sc, { kind: "bool" }, 0)} {`);
      end = join(end, block(g, child(sc), lines, ind + "  ", false));
      g.cov.feature("else if");
    } else if (g.r.chance(0.5)) {
      lines.push(`${ind}} else {`);
      end = join(end, block(g, child(sc), lines, ind + "  ", false));
      closed = true;
    } else {
      end = "falls";
      closed = true;
    }
  }
  lines.push(`${ind}}`);
  return end;
}

/** `if let` / `let ... else` over a header or an option-returning operation. */
function bindStmt(g: Gen, sc: Scope, lines: string[], ind: string): End {
  if (sc.stack + 8 > STACK_CAP) return "falls";
  const name = g.names.fresh("local");
  let rhs: string | undefined;
  let bind: (s: Scope) => void;
  const opts = optionCalls(g);
  if (g.r.chance(0.5) || !opts.length) {
    const hs = g.headers.filter(
      (h) => !sc.present.has(h.name) && (!h.user || h.parsed || on(g, "unparsed-header")),
    );
    if (!hs.length) return "falls";
    // the bytes carrier often: bytes[N] keys and values exist only where it is bound
    const carrier = hs.find((x) => x.carrier);
    const h =
      carrier && g.r.chance(0.3)
        ? carrier
        : g.r.chance(0.5)
          ? g.r.pick(
              hs.filter((x) => ["ipv4", "ipv6", "tcp", "udp", "eth"].includes(x.name)).concat(hs.slice(0, 1)),
            )
          : g.r.pick(hs);
    rhs = h.name;
    bind = (s) => s.present.set(h.name, [h.name, name]);
    g.cov.feature(`bind header ${h.carrier ? "bytes carrier" : h.user ? "user" : h.name}`);
  } else {
    const c = g.r.pick(opts);
    rhs = callText(g, sc, c, 1);
    bind = (s) => s.vals.push({ name, ty: c.binds, mutable: false, ref: c.ref });
  }
  if (rhs === undefined) return "falls";
  if (g.r.chance(0.5) || (sc.loops && !on(g, "loop-verdict"))) {
    lines.push(`${ind}if let ${name} = ${rhs} {`);
    const inner = child(sc, { stack: sc.stack + 8 });
    bind(inner);
    let end = block(g, inner, lines, ind + "  ", false);
    if (g.r.chance(0.4)) {
      lines.push(`${ind}} else {`);
      end = join(end, block(g, child(sc), lines, ind + "  ", false));
    } else end = "falls";
    lines.push(`${ind}}`);
    return end;
  }
  lines.push(`${ind}let ${name} = ${rhs} else {`);
  block(g, child(sc, { loops: 0 }), lines, ind + "  ", true);
  lines.push(`${ind}}`);
  bind(sc);
  sc.stack += 8;
  return "falls";
}

function matchStmt(g: Gen, sc: Scope, lines: string[], ind: string): End {
  const t = g.r.pick(INTS) as IntTy;
  lines.push(`${ind}match ${expr(g, sc, t, 1)} {`);
  const used = new Set<string>();
  let end: End | undefined;
  for (let i = g.r.int(1, 3); i > 0; i--) {
    const pats: string[] = [];
    for (let j = g.r.int(1, 2); j > 0; j--) {
      if (g.r.chance(0.3)) {
        const a = BigInt(intLit(g.r, t).replace(/_/g, ""));
        const hiMax = (1n << BigInt(t.bits)) - 1n;
        if (a >= hiMax) continue;
        const b = a + 1n + BigInt(g.r.int(0, 300));
        pats.push(`${a}..${b > hiMax ? hiMax : b}`);
      } else {
        const v = BigInt(intLit(g.r, t).replace(/_/g, "")).toString();
        if (!used.has(v)) pats.push(v);
        used.add(v);
      }
    }
    if (!pats.length) continue;
    lines.push(`${ind}  ${pats.join(", ")} => {`);
    const e = block(g, child(sc), lines, ind + "    ", false);
    end = end ? join(end, e) : e;
    lines.push(`${ind}  }`);
  }
  g.cov.feature(`match u${t.bits}`);
  if (g.r.chance(0.7)) {
    lines.push(`${ind}  _ => {`);
    const e = block(g, child(sc), lines, ind + "    ", false);
    end = end ? join(end, e) : e;
    lines.push(`${ind}  }`);
  } else end = "falls";
  lines.push(`${ind}}`);
  return end ?? "falls";
}

function loopStmt(g: Gen, sc: Scope, lines: string[], ind: string): End {
  const big = on(g, "big-loops") && g.r.chance(0.1);
  const n = big
    ? 1024
    : g.r.weighted<number>([
        [3, g.r.int(1, 8)],
        [1, g.r.int(0, 64)],
        [1, 1],
      ]);
  if (sc.iters * Math.max(n, 1) > 65536 || sc.stack + 8 > STACK_CAP) return "falls";
  const inner = child(sc, { loops: sc.loops + 1, iters: sc.iters * Math.max(n, 1), brk: { v: false } });
  const head = lines.length;
  if (g.r.chance(0.6)) {
    const v = g.names.fresh("local");
    const lo = g.r.int(0, 3);
    lines.push(`${ind}for ${v} in ${lo}..${lo + n} {`);
    inner.vals.push({ name: v, ty: lo + n > 0xffffffff ? U64 : U32, mutable: false });
    inner.stack += 8;
    g.cov.feature(big ? "for (1024)" : "for");
  } else {
    lines.push(`${ind}repeat ${n} {`);
    g.cov.feature(big ? "repeat (1024)" : "repeat");
  }
  const e = block(g, inner, lines, ind + "  ", false);
  lines.push(`${ind}}`);
  if (e === "verdict" && n >= 1 && !inner.brk!.v) {
    if (on(g, "loop-ends-handler")) {
      g.cov.feature("loop ends the handler");
      return "verdict";
    }
    // F8 open: a conditional break first, so the loop does not end the handler
    lines.splice(
      head + 1,
      0,
      `${ind}  if ${expr(g, sc, { kind: "bool" }, 2)} {`,
      `${ind}    break`,
      `${ind}  }`,
    );
  }
  return "falls";
}

/** A block of statements. `mustEnd`: close with a verdict unless it already ends. */
export function block(g: Gen, sc: Scope, lines: string[], ind: string, mustEnd: boolean): End {
  const deep = on(g, "deep-nesting") && g.r.chance(0.05);
  const n = g.r.int(1, sc.depth > 2 ? 3 : 6);
  const nestOk = sc.depth < (deep ? 10 : 4);
  if (deep) g.cov.feature("deep nesting (blocks to depth 10)");
  for (let i = 0; i < n; i++) {
    const k = g.r.weighted<string>([
      [3, "let"],
      [3, "assign"],
      [2, "counter"],
      [nestOk ? 3 : 0, "if"],
      [nestOk ? 3 : 0, "bind"],
      [nestOk ? 1 : 0, "match"],
      [nestOk && sc.loops < 2 ? 2 : 0, "loop"],
      [4, "call"],
      [sc.loops ? 1.5 : 0, "break"],
      [sc.loops && on(g, "loop-verdict") ? 1.5 : 0, "verdict-if"],
      [0.7, "end"],
      [g.hook !== "xdp" ? 0.3 : 0, "tstamp"],
      [canWrite(sc) ? 0.5 : 0, "payload"],
    ]);
    let e: End = "falls";
    switch (k) {
      case "let":
        declare(g, sc, lines, ind);
        break;
      case "assign":
        assign(g, sc, lines, ind);
        break;
      case "counter":
        if (g.counters.length) g.cov.feature("counter +=");
        if (g.counters.length)
          lines.push(`${ind}${g.r.pick(g.counters)} += ${g.r.chance(0.5) ? "1" : expr(g, sc, U64, 1)}`);
        break;
      case "if":
        e = ifStmt(g, sc, lines, ind);
        break;
      case "bind":
        e = bindStmt(g, sc, lines, ind);
        break;
      case "match":
        e = matchStmt(g, sc, lines, ind);
        break;
      case "loop":
        e = loopStmt(g, sc, lines, ind);
        break;
      case "call": {
        const calls = datapathCalls(g).filter(
          (c) => c.sig.result.kind !== "optionV" && c.sig.result.kind !== "optionK",
        );
        // bytes[N] arguments exist only where the carrier header is bound: there, prefer them
        const withBytes = calls.filter(
          (c) =>
            c.s.key.kind === "bytes" &&
            c.sig.params.some((p) => p.ty.kind === "K") &&
            canMake(g, sc, c.s.key),
        );
        const pool = withBytes.length && g.r.chance(0.5) ? withBytes : calls;
        const t = pool.length ? callText(g, sc, g.r.pick(pool), 0) : undefined;
        if (t) lines.push(`${ind}${t}`);
        break;
      }
      case "break":
      case "verdict-if": {
        lines.push(`${ind}if ${expr(g, sc, { kind: "bool" }, 1)} {`);
        if (k === "break") {
          lines.push(`${ind}  break`);
          sc.brk!.v = true;
        } else lines.push(`${ind}  ${verdict(g, sc)}`);
        lines.push(`${ind}}`);
        g.cov.feature(k === "break" ? "break" : "verdict in loop");
        break;
      }
      case "payload":
        lines.push(`${ind}${payloadChange(g, () => expr(g, sc, U32, 2))}`);
        break;
      case "tstamp":
        lines.push(`${ind}set_tstamp(${expr(g, sc, U64, 1)})`);
        g.cov.feature("set_tstamp");
        break;
      case "end":
        if (mustEnd) break;
        if (sc.loops && g.r.chance(0.4)) {
          lines.push(`${ind}break`);
          sc.brk!.v = true;
          return "break";
        }
        if (sc.loops && !on(g, "loop-verdict")) break;
        lines.push(`${ind}${verdict(g, sc)}`);
        return "verdict";
    }
    if (e !== "falls") return e;
    maybeEmit(g, sc, lines, ind);
  }
  if (mustEnd) {
    lines.push(`${ind}${verdict(g, sc)}`);
    return "verdict";
  }
  return "falls";
}

export { sizeOf };
