// Nesting limits (limits.ts): a program at each limit parses and checks; one past it gives the
// limit's code at the exact line:col, before any recursive phase runs (never NF9999), and far
// past it (thousands of levels) the same. The clang/kernel side is test/limits.test.ts.
import { describe, expect, it } from "vitest";
import { checkSource } from "../index.js";
import { MAX_BRACKET_DEPTH, MAX_ELSE_IF, MAX_EXPR_DEPTH, MAX_MATCH_ARMS } from "./limits.js";
import { nestingPrograms } from "./limits-programs.js";

function codes(src: string): string[] {
  return checkSource(src, "l.nf").diagnostics.map((d) => `${d.code}@${d.span?.line}:${d.span?.col}`);
}

describe("nesting limits", () => {
  for (const p of nestingPrograms()) {
    it(`${p.name}: at the limit it is accepted`, () => {
      expect(codes(p.at)).toEqual([]);
    });
    it(`${p.name}: one past the limit is ${p.code} at ${p.where}`, () => {
      expect(codes(p.over)).toEqual([`${p.code}@${p.where}`]);
    });
    it(`${p.name}: thousands past the limit, the same code and no internal error`, () => {
      const got = codes(p.huge);
      expect(got.map((c) => c.split("@")[0])).toEqual([p.code]);
    });
  }

  it("the limits are the documented numbers", () => {
    expect([MAX_BRACKET_DEPTH, MAX_EXPR_DEPTH, MAX_ELSE_IF, MAX_MATCH_ARMS]).toEqual([32, 64, 256, 512]);
  });

  it("an `else if` chain counts per chain: two chains of 200 in a row are fine", () => {
    const chain = (v: string) =>
      `  if ${v} == 0 { c += 1 }` +
      Array.from({ length: 199 }, (_, i) => ` else if ${v} == ${i + 1} { c += 1 }`).join("");
    const src = `nf t on xdp\ncounter c\non packet {\n  let x: u32 = pkt_len()\n${chain("x")}\n${chain("x")}\n  pass\n}\n`;
    expect(codes(src)).toEqual([]);
  });

  it("test blocks and declarations are measured too", () => {
    const deep = "1" + " + 1".repeat(MAX_EXPR_DEPTH);
    expect(codes(`nf t on xdp\nconst K: u32 = ${deep}\non packet { pass }\n`)).toEqual(["NF1024@2:16"]);
    expect(
      codes(`nf t on xdp\non packet { pass }\ntest "t" {\n  packet udp(dport = ${deep}) => pass\n}\n`),
    ).toEqual(["NF1024@4:10"]);
  });
});
