// User tests (`test "name" { ... }`): names, types and shapes of config settings, table entries,
// packets, repeats and expectations → CheckedTest[]. Run by compiler/difftest/usertests.ts on the
// interpreter and the kernel. Codes: the usual NF2xxx for names and types, NF3021-NF3024 for
// test-only mistakes (packets, builder fields, non-queries in expectations, repeat counts), NF3031
// for a test that runs too many steps.
import type { Expr, TestDecl, TestStmt } from "../ast.js";
import type { CheckedTest, CheckedTestStmt, StateDecl, TestVerdictValue } from "../checked.js";
import { diag } from "../diagnostics/catalogue.js";
import { U32 } from "../types.js";
import { closest, describeGlobal, type Ctx } from "./context.js";
import { evalConstInt } from "./consts.js";
import { checkExpectEvent } from "./events.js";
import { checkExpect } from "./user-tests-expect.js";
import { checkPacket } from "./user-tests-packets.js";
import { constAt, prefixAt } from "./user-tests-values.js";

export const MAX_TEST_REPEAT = 100_000n;
/** Statements one test may run, with `repeat`s unrolled (NF3031): nested repeats multiply, and
 *  `nfc test` runs every step on the interpreter and on the kernel. */
export const MAX_TEST_STEPS = 100_000;

export function checkTests(
  ctx: Ctx,
  tests: readonly TestDecl[],
  states: readonly StateDecl[],
  source?: string,
): CheckedTest[] {
  const out: CheckedTest[] = [];
  const seen = new Map<string, TestDecl>();
  for (const t of tests) {
    const first = seen.get(t.name);
    if (first)
      ctx.report(
        diag(
          "NF2002",
          t.nameSpan,
          { name: t.name },
          { secondary: [{ span: first.nameSpan, message: "first test with this name" }] },
        ),
      );
    else seen.set(t.name, t);
    const body = stmts(ctx, t.body, states, source);
    const total = steps(body);
    if (total > MAX_TEST_STEPS)
      ctx.report(diag("NF3031", longest(body, t).span, { steps: String(total), limit: MAX_TEST_STEPS }));
    out.push({ name: t.name, body, span: t.span });
  }
  return out;
}

/** Statements run with repeats unrolled (saturates far above any limit instead of overflowing). */
function steps(body: readonly CheckedTestStmt[]): number {
  let n = 0;
  for (const s of body) n = Math.min(n + (s.kind === "repeat" ? s.count * steps(s.body) : 1), 1e15);
  return n;
}

/** Where a too-long test is reported: the outermost `repeat` that alone runs too many steps, else
 *  the test itself (many repeats in a row). */
function longest(body: readonly CheckedTestStmt[], t: TestDecl): { span: TestDecl["span"] } {
  const big = body.find((s) => s.kind === "repeat" && s.count * steps(s.body) > MAX_TEST_STEPS);
  return big ?? { span: t.nameSpan };
}

function stmts(
  ctx: Ctx,
  body: readonly TestStmt[],
  states: readonly StateDecl[],
  src?: string,
): CheckedTestStmt[] {
  return body.map((s) => stmt(ctx, s, states, src)).filter((s): s is CheckedTestStmt => s !== undefined);
}

function unknown(ctx: Ctx, name: string, span: Expr["span"]): void {
  const suggestion = closest(name, ctx.globals.keys());
  ctx.report(diag("NF2001", span, { name, ...(suggestion ? { suggestion } : {}) }));
}

function stmt(
  ctx: Ctx,
  s: TestStmt,
  states: readonly StateDecl[],
  src?: string,
): CheckedTestStmt | undefined {
  const span = s.span;
  switch (s.kind) {
    case "config": {
      const g = ctx.globals.get(s.name.name);
      if (!g) return void unknown(ctx, s.name.name, s.name.span);
      if (g.kind !== "config" || !g.value) {
        if (g.kind !== "config")
          ctx.report(
            diag("NF2004", s.name.span, { name: g.name, is: describeGlobal(g), expected: "a config" }),
          );
        return undefined;
      }
      const value = constAt(ctx, s.value, g.value.ty);
      return value ? { kind: "config", name: g.name, value, span } : undefined;
    }
    case "entry": {
      const g = ctx.globals.get(s.table.name);
      if (!g) return void unknown(ctx, s.table.name, s.table.span);
      const d = states.find((x) => x.name === s.table.name);
      if (g.kind !== "state" || !d || d.family !== "table") {
        if (g.kind !== "state" || (d && d.family !== "table"))
          ctx.report(
            diag("NF2004", s.table.span, { name: g.name, is: describeGlobal(g), expected: "a table" }),
          );
        return undefined;
      }
      const value = constAt(ctx, s.value, d.value!);
      if (d.kind === "lpm") {
        const p = prefixAt(ctx, s.key, d.key);
        return p && value
          ? { kind: "entry", table: d.name, key: p.value, prefixLen: p.len, value, span }
          : undefined;
      }
      const key = constAt(ctx, s.key, d.key);
      return key && value ? { kind: "entry", table: d.name, key, value, span } : undefined;
    }
    case "packet": {
      const layers = checkPacket(ctx, s.packet);
      let expect: TestVerdictValue | undefined;
      if (s.expect?.kind === "redirect") {
        const v = constAt(ctx, s.expect.ifindex, U32);
        if (!v || v.kind !== "int") return undefined;
        expect = { verdict: "redirect", ifindex: Number(v.v) };
      } else if (s.expect) expect = { verdict: s.expect.kind };
      const output = s.output ? checkPacket(ctx, s.output) : undefined;
      if (!layers || (s.output && !output)) return undefined;
      if (!expect) return { kind: "packet", layers, span };
      return output
        ? { kind: "packet", layers, expect, output, span }
        : { kind: "packet", layers, expect, span };
    }
    case "repeat": {
      const n = evalConstInt(ctx, s.count, "a repeat count");
      const body = stmts(ctx, s.body, states, src);
      if (n === undefined) return undefined;
      if (n < 1n || n > MAX_TEST_REPEAT) {
        ctx.report(diag("NF3024", s.count.span, { count: String(n) }));
        return undefined;
      }
      return { kind: "repeat", count: Number(n), body, span };
    }
    case "expect": {
      const expr = checkExpect(ctx, s.expr, states);
      const text = src?.slice(s.expr.span.start, s.expr.span.end) ?? "";
      return expr ? { kind: "expect", expr, text, span } : undefined;
    }
    case "expectEvent":
      return checkExpectEvent(ctx, s, src?.slice(s.span.start, s.span.end) ?? "");
    case "error":
      return undefined;
  }
}
