// One test per NF4xxx code (target limits): the code, its exact span, and no internal error.
import { describe, expect, test } from "vitest";
import { catalogue } from "../diagnostics/catalogue.js";
import { body, expectOnly as only, H, runMarked } from "./test-util.js";

const expectOnly = (code: string, src: string): void => only(expect, code, src);

const manyLocals = (n: number): string => {
  const lines = Array.from({ length: n }, (_, i) => `let v${i}: u64 = ${i}`);
  lines[n - 1] = `let ⟦v${n - 1}⟧: u64 = 0`;
  return lines.join("\n  ");
};

const NF4_CASES: [string, string][] = [
  ["NF4001", body("for i in ⟦0..4096⟧ { }")],
  ["NF4002", body("for i in 0..1024 { for j in ⟦0..1024⟧ { } }")],
  ["NF4003", `${H}sketch s: count_min<flow5>(rows = 4, width = ⟦1000⟧)\non packet { pass }\n`],
  ["NF4004", `${H}table t: hash<ip4, u64>(capacity = ⟦0⟧)\non packet { pass }\n`],
  ["NF4005", `${H}sketch ⟦s⟧: count_min<flow5>(rows = 16, width = 16777216)\non packet { pass }\n`],
  ["NF4006", body(manyLocals(32))],
  ["NF4007", `${H}header h { pad: bytes[⟦0⟧] }\non packet { pass }\n`],
  ["NF4120", `${H}table ⟦hits⟧: array<u32, u64>(capacity = 16777216, per_cpu)\non packet { pass }\n`],
];

describe("NF4xxx: target limits", () => {
  for (const [code, src] of NF4_CASES)
    test(`${code} ${catalogue[code as keyof typeof catalogue].title}`, () => expectOnly(code, src));

  test("every checker NF4 code has a case (NF41xx belong to backends)", () => {
    // NF4120..NF4199: checker codes of structure shapes (NF4120 per-CPU table size).
    const defined = Object.keys(catalogue).filter(
      (c) => c.startsWith("NF40") || (c >= "NF4120" && c <= "NF4199"),
    );
    expect(NF4_CASES.map(([c]) => c).sort()).toEqual(defined.sort());
  });

  test("NF4003 suggests the nearest power of two", () => {
    const r = runMarked(`${H}sketch s: bloom<ip4>(bits = ⟦3000⟧, hashes = 3)\non packet { pass }\n`);
    expect(r.diagnostics.map((d) => [d.code, d.help])).toEqual([["NF4003", "use `bits = 2048`"]]);
  });

  test("NF4004: capacity above 1<<24", () => {
    expectOnly("NF4004", `${H}table t: lru<ip4, u64>(capacity = ⟦16777217⟧)\non packet { pass }\n`);
  });

  test("NF4004: epsilon outside (0, 1)", () => {
    expectOnly("NF4004", `${H}sketch s: count_min<ip4>(epsilon = ⟦1.5⟧, delta = 0.01)\non packet { pass }\n`);
  });

  test("NF4006: 31 u64 locals plus the ipv4 binding fit exactly in 256 bytes", () => {
    const r = runMarked(body(manyLocals(31)));
    expect(r.errorCodes).toEqual([]);
  });

  test("NF4006: sibling branches do not add up", () => {
    const half = Array.from({ length: 20 }, (_, i) => `let a${i}: u64 = 0`).join("; ");
    const r = runMarked(
      body(`if pkt_len() > 1 { ${half}; drop } else { ${half.replaceAll("a", "b")}; ⟦pass⟧ }`),
    );
    expect(r.errorCodes).toEqual([]);
  });
});
