// The payload codes' limits (NF4230, NF4231: docs/LANGUAGE.md "Payload"), with their spans, and
// the bounds just inside them accepted. NF2045-NF2047 and NF3050-NF3054 are in codes-nf2/nf3.
import { describe, expect, test } from "vitest";
import { body, expectOnly as only, runMarked } from "./test-util.js";

const expectOnly = (code: string, src: string): void => only(expect, code, src);
const udp = (s: string): string => body(`let u = udp else { pass }\n  ${s}`);

describe("payload bounds", () => {
  test("NF4230: a scan, a slice, a string or a bytes write over 256 bytes", () => {
    expectOnly("NF4230", udp("let i = payload.find(10, 0, ⟦1000⟧)"));
    expectOnly("NF4230", udp("let i = payload.find(10, 0, ⟦0⟧)"));
    expectOnly("NF4230", udp("let k: bytes[300] = ⟦payload.slice(0, 8)⟧"));
    expectOnly("NF4230", udp(`if payload.starts_with(⟦"${"x".repeat(257)}"⟧) { drop }`));
  });
  test("NF4231: a byte loop inside user loops past 65536 iterations", () => {
    expectOnly("NF4231", udp("for i in 0..1024 { if payload.find(10, i, ⟦256⟧) == 0 { drop } }"));
    expectOnly("NF4231", udp("for i in 0..512 { let k: bytes[200] = ⟦payload.slice(i, 8)⟧ }"));
  });
  test("the bounds themselves are accepted", () => {
    for (const s of [
      "let i = payload.find(10, 0, 256)",
      "let k: bytes[200] = payload.slice(0, 8)",
      `if payload.starts_with("${"x".repeat(256)}") { drop }`,
      "for i in 0..256 { if payload.find(10, i, 256) == 0 { drop } }",
    ])
      expect(runMarked(udp(s) + "// ⟦⟧").errorCodes, s).toEqual([]);
  });
});
