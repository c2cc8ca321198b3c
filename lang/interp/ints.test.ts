import { describe, expect, test } from "vitest";
import { BOOL, IP4, U16, U32, U64, U8 } from "../types.js";
import { binary, cast, unary } from "./ints.js";

describe("integer operators wrap at the operand width", () => {
  test.each([
    ["+", U8, 250n, 10n, 4n],
    ["+", U16, 0xffffn, 1n, 0n],
    ["+", U64, (1n << 64n) - 1n, 2n, 1n],
    ["-", U32, 0n, 1n, 0xffffffffn],
    ["-", U8, 3n, 5n, 254n],
    ["*", U16, 0x100n, 0x100n, 0n],
    ["*", U32, 0x10000n, 0x10001n, 0x10000n],
    ["/", U32, 7n, 2n, 3n],
    ["/", U32, 7n, 0n, 0n],
    ["%", U32, 7n, 0n, 7n],
    ["%", U8, 200n, 7n, 4n],
    ["<<", U8, 1n, 9n, 2n], // count masked with 7
    ["<<", U32, 1n, 33n, 2n],
    ["<<", U8, 0x81n, 1n, 2n], // truncated to 8 bits
    [">>", U64, 1n << 63n, 64n, 1n << 63n], // 64 & 63 == 0
    [">>", U16, 0x8000n, 17n, 0x4000n],
    ["&", U8, 0xf0n, 0x3cn, 0x30n],
    ["|", U8, 0xf0n, 0x0fn, 0xffn],
    ["^", U8, 0xffn, 0x0fn, 0xf0n],
  ] as const)("%s at %o: %d, %d -> %d", (op, ty, a, b, want) => {
    expect(binary(op, ty, a, b)).toBe(want);
  });

  test("comparisons are unsigned", () => {
    expect(binary("<", U64, 1n, (1n << 64n) - 1n)).toBe(true);
    expect(binary(">=", U8, 0x80n, 0x7fn)).toBe(true);
    expect(binary("==", U32, 5n, 5n)).toBe(true);
    expect(binary("!=", BOOL, true, false)).toBe(true);
  });

  test("byte values compare by content", () => {
    expect(binary("==", IP4, Uint8Array.of(10, 0, 0, 1), Uint8Array.of(10, 0, 0, 1))).toBe(true);
    expect(binary("!=", IP4, Uint8Array.of(10, 0, 0, 1), Uint8Array.of(10, 0, 0, 2))).toBe(true);
  });

  test("unary minus is 0 - x, ~ masks, ! negates", () => {
    expect(unary("-", U8, 1n)).toBe(255n);
    expect(unary("-", U64, 0n)).toBe(0n);
    expect(unary("~", U16, 0n)).toBe(0xffffn);
    expect(unary("!", BOOL, true)).toBe(false);
  });
});

describe("casts", () => {
  test("integers truncate and zero-extend", () => {
    expect(cast(U32, U8, 0x1234n)).toBe(0x34n);
    expect(cast(U8, U64, 0xffn)).toBe(0xffn);
    expect(cast(BOOL, U8, true)).toBe(1n);
  });

  test("ip4 <-> u32 converts between network and host order", () => {
    expect(cast(IP4, U32, Uint8Array.of(10, 1, 2, 3))).toBe(0x0a010203n);
    expect([...(cast(U32, IP4, 0xc0a80001n) as Uint8Array)]).toEqual([192, 168, 0, 1]);
    expect(cast(IP4, U8, Uint8Array.of(10, 1, 2, 3))).toBe(3n);
  });
});
