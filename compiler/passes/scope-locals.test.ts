// scope-locals and the scoped stack estimate: temporaries get the smallest block holding their
// uses; the estimate takes sibling blocks as alternatives, so a long handler's frame stays small.
import { describe, expect, test } from "vitest";
import { bigProgram } from "../../bench/check-speed.js";
import { checkSource } from "../../lang/index.js";
import type { Span } from "../../lang/span.js";
import { decl, evalStmt, int, v } from "../ir/build.js";
import { C_U32 } from "../ir/ctype.js";
import type { IStmt } from "../ir/ir.js";
import { lowerProgram } from "../lower/program.js";
import { runPasses } from "./index.js";
import { scopeList } from "./scope-locals.js";
import { estimateStack, STACK_LIMIT, STACK_RESERVE } from "./stack.js";

const sp: Span = { file: "t.nf", start: 1, end: 2, line: 1, col: 1 };
const d = (name: string): IStmt => decl(name, C_U32, sp, int(1, C_U32, sp));
const use = (...names: string[]): IStmt =>
  evalStmt({ kind: "call", fn: "f", args: names.map((n) => v(n, C_U32, sp)), ty: C_U32, span: sp }, sp);
/** The list's shape: `d:x` a decl, `u` a use, `{...}` a block. */
const shape = (ss: IStmt[]): string =>
  ss
    .map((s) => (s.kind === "decl" ? `d:${s.name}` : s.kind === "block" ? `{${shape(s.body)}}` : "u"))
    .join(" ");

describe("scope-locals", () => {
  test("a statement's temporaries get a block; a local read by the rest of the list does not", () => {
    const out = scopeList([d("x"), d("k1"), use("k1", "x"), d("k2"), use("k2"), use("x")]);
    expect(shape(out)).toBe("d:x {d:k1 u} {d:k2 u} u");
  });

  test("a segment grows to the last use of every local inside it", () => {
    const out = scopeList([d("a"), d("b"), use("a"), use("b"), d("c"), use("c"), use()]);
    expect(shape(out)).toBe("{d:a d:b u u} {d:c u} u");
  });

  test("inside a new block, the first local reaches its end and the rest is scoped again", () => {
    const out = scopeList([d("acc"), d("k1"), use("k1"), d("k2"), use("k2"), use("acc"), use()]);
    expect(shape(out)).toBe("{d:acc {d:k1 u} {d:k2 u} u} u");
  });

  test("unread locals and locals reaching the end of the list stay", () => {
    expect(shape(scopeList([d("dead"), d("x"), use(), use("x")]))).toBe("d:dead d:x u u");
  });

  test("bigProgram(1000): the frame is that of one rule, not the sum of all (was 8 KiB of slots)", () => {
    const checked = checkSource(bigProgram(1000), "big.nf");
    expect(checked.program).toBeDefined();
    const lowered = lowerProgram(checked.program!).ir!;
    const ir = runPasses(lowered).ir;
    expect(ir.maps.some((m) => m.name === "scratch")).toBe(false);
    expect(estimateStack(ir).bytes).toBeLessThanOrEqual(64);
    expect(estimateStack(ir).bytes).toBeLessThanOrEqual(STACK_LIMIT - STACK_RESERVE);
  });
});
