// Sketch exports (`export` structure arguments): both parsers read them like any argument, the
// formatter keeps them, the checker turns them into the keys the manifest carries, and every
// misuse is one NF307x at the argument (codes-nf3.test.ts has one case per code).
import { describe, expect, test } from "vitest";
import { formatSource } from "../format/index.js";
import { checkSource } from "../index.js";
import { parse, parseRecovering } from "../syntax/index.js";
import { H, runMarked } from "./test-util.js";

const SRC = `${H}const WEB: ip4 = 10.0.0.80
sketch top: topk<ip4>(k = 8, export)
sketch hits: count_min<ip4>(rows = 4, width = 1024, export = 10.0.0.1, export = WEB)
sketch ports: count_sketch<u16>(rows = 4, width = 1024, export = 443)
sketch uniq: hll<ip4>(precision = 6, groups = 4, export, export = 3)
sketch plain: count_min<ip4>(rows = 4, width = 1024)
on packet { pass }
`;

describe("sketch exports", () => {
  test("both parsers give the same AST; the formatter keeps the text", async () => {
    const shape = (r: ReturnType<typeof parse>): string =>
      JSON.stringify(r.program, (_k, v: unknown) => (typeof v === "bigint" ? `${v}n` : v));
    const rec = parseRecovering(SRC, "x.nf");
    expect(rec.diagnostics).toEqual([]);
    expect(shape(rec)).toBe(shape(parse(SRC, "x.nf")));
    expect(await formatSource(SRC, "x.nf")).toEqual({ formatted: SRC });
  });

  test("the checker returns the keys as text: ip4 dotted, integers decimal, hll groups", () => {
    const r = checkSource(SRC, "t.nf");
    expect(r.diagnostics).toEqual([]);
    expect(r.program!.states.map((s) => [s.name, s.exported])).toEqual([
      ["top", []],
      ["hits", ["10.0.0.1", "10.0.0.80"]],
      ["ports", ["443"]],
      ["uniq", ["0", "3"]],
      ["plain", undefined],
    ]);
  });

  test.each([
    ["an hll group at or above groups", "hll<ip4>(precision = 6, groups = 4, export = ⟦4⟧)", "NF3073"],
    ["a u16 key too wide", "count_min<u16>(rows = 4, width = 1024, export = ⟦65536⟧)", "NF3073"],
    ["a flow5 key", "count_min<flow5>(rows = 4, width = 1024, export = ⟦1⟧)", "NF3073"],
    ["an ip4 for an integer key", "count_min<u32>(rows = 4, width = 1024, export = ⟦10.0.0.1⟧)", "NF3073"],
    ["export on a table", "hash<ip4, u32>(capacity = 4, ⟦export⟧)", "NF3070"],
    ["a bare hll export repeated", "hll<ip4>(precision = 6, export, ⟦export⟧)", "NF3074"],
  ])("%s: %s", (_what, decl, code) => {
    const family = decl.startsWith("hash") ? "table" : "sketch";
    const r = runMarked(`${H}${family} s: ${decl}\non packet { pass }\n`);
    expect(r.errorCodes).toEqual([code]);
    expect(r.at(code)).toEqual({ line: r.m.line, col: r.m.col, len: r.m.len });
  });
});
