// Semantics-critical lowering: wrap casts, shift masks, division guards, ip4 byte order and the
// checksum updates of header writes, asserted on the generated C.
import { describe, expect, test } from "vitest";
import { U16, U32, U64, U8 } from "../../lang/types.js";
import { v } from "../ir/build.js";
import { C_U16, C_U32, C_U64, C_U8 } from "../ir/ctype.js";
import type { IStmt } from "../ir/ir.js";
import { printExpr } from "../codegen/print-expr.js";
import { arith } from "../codegen/__fixtures__/programs.js";
import { program, sp } from "../codegen/__fixtures__/build.js";
import { generateC } from "../codegen/index.js";
import { PASSES, runPasses } from "../passes/index.js";
import { generate } from "../pipeline.js";
import { lowerProgram } from "./program.js";
import { lowerBinary, lowerCast, lowerUnary } from "./arith.js";
import { Lowerer } from "./context.js";

const cx = () => new Lowerer(program({ name: "t", handler: [] }));
const x8 = v("x", C_U8, sp());
const y8 = v("y", C_U8, sp());
const x16 = v("x", C_U16, sp());
const x32 = v("x", C_U32, sp());
const y32 = v("y", C_U32, sp());
const x64 = v("x", C_U64, sp());
const y64 = v("y", C_U64, sp());

describe("integer arithmetic", () => {
  test("u8/u16 results are truncated after computing in unsigned 32 bits", () => {
    const out: IStmt[] = [];
    expect(printExpr(lowerBinary(cx(), "+", U8, x8, y8, sp(), out))).toBe("(__u8)((__u32)x + (__u32)y)");
    expect(printExpr(lowerBinary(cx(), "*", U16, x16, v("y", C_U16, sp()), sp(), out))).toBe(
      "(__u16)((__u32)x * (__u32)y)",
    );
    expect(printExpr(lowerBinary(cx(), "-", U32, x32, y32, sp(), out))).toBe("x - y");
    expect(out).toEqual([]);
  });

  test("shift counts are masked with bits - 1", () => {
    const out: IStmt[] = [];
    expect(printExpr(lowerBinary(cx(), "<<", U8, x8, y8, sp(), out))).toBe("(__u8)((__u32)x << (y & 7))");
    expect(printExpr(lowerBinary(cx(), "<<", U32, x32, y32, sp(), out))).toBe("x << (y & 31U)");
    expect(printExpr(lowerBinary(cx(), ">>", U64, x64, y64, sp(), out))).toBe("x >> (y & 63ULL)");
  });

  test("x / 0 is 0 and x % 0 is x", () => {
    const out: IStmt[] = [];
    expect(printExpr(lowerBinary(cx(), "/", U32, x32, y32, sp(), out))).toBe("y ? (x / y) : 0");
    expect(printExpr(lowerBinary(cx(), "%", U64, x64, y64, sp(), out))).toBe("y ? (x % y) : x");
  });

  test("a divisor with side effects is evaluated once, into a temporary", () => {
    const out: IStmt[] = [];
    const call = { kind: "call" as const, fn: "bpf_get_prandom_u32", args: [], ty: C_U32, span: sp() };
    expect(printExpr(lowerBinary(cx(), "/", U32, x32, call, sp(), out))).toBe("nf_tmp ? (x / nf_tmp) : 0");
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ kind: "decl", name: "nf_tmp", init: { fn: "bpf_get_prandom_u32" } });
  });

  test("negation and complement of small types wrap", () => {
    expect(printExpr(lowerUnary("-", U8, x8, sp()))).toBe("(__u8)-(__u32)x");
    expect(printExpr(lowerUnary("~", U16, x16, sp()))).toBe("(__u16)~(__u32)x");
    expect(printExpr(lowerUnary("-", U64, x64, sp()))).toBe("-x");
  });

  test("ip4 <-> u32 casts convert byte order; narrowing casts truncate", () => {
    expect(
      printExpr(lowerCast({ kind: "ip4" }, U32, v("a", { kind: "be", bits: 32 }, sp()), C_U32, sp())),
    ).toBe("bpf_ntohl(a)");
    expect(printExpr(lowerCast(U32, { kind: "ip4" }, x32, { kind: "be", bits: 32 }, sp()))).toBe(
      "bpf_htonl(x)",
    );
    expect(printExpr(lowerCast(U64, U8, x64, C_U8, sp()))).toBe("(__u8)x");
  });
});

describe("the arith program", () => {
  // The fixture binds locals it never reads (to show each lowering); keep them for inspection.
  const keepLocals = PASSES.filter((p) => p.name !== "dead-locals");
  const c = generateC(runPasses(lowerProgram(arith(), { runtime: "bpf" }).ir!, keepLocals).ir);

  test("compiles without diagnostics", () => {
    expect(generate(arith()).diagnostics).toEqual([]);
  });

  test("u8 += wraps through a cast", () => {
    expect(c).toMatch(/a(?:_\d+)? = \(__u8\)\(\(__u32\)a(?:_\d+)? \+ 200U\);/);
  });

  test("header u16 reads use bpf_ntohs and products are truncated", () => {
    expect(c).toMatch(/__u16 b(?:_\d+)? = \(__u16\)\(\(__u32\)bpf_ntohs\(nf_h\.ipv4->id\) \* 65535U\);/);
  });

  test("division by a config is guarded", () => {
    expect(c).toMatch(/__u32 q(?:_\d+)? = k \? \(1000U \/ k\) : 0;/);
  });

  test("an ip4 literal is a big-endian constant", () => {
    expect(c).toContain("nf_h.ipv4->saddr == bpf_htonl(0xc0a80102U /* 192.168.1.2 */)");
    expect(c).toContain("bpf_htonl(0x0a000001 /* 10.0.0.1 */)");
  });

  test("a TTL write updates the IPv4 checksum with the byte's position", () => {
    expect(c).toMatch(/__u8 nf_old(?:_\d+)? = nf_h\.ipv4->ttl;/);
    expect(c).toMatch(/nf_h\.ipv4->ttl = nf_new(?:_\d+)?;/);
    expect(c).toMatch(/nf_csum_replace1\(&nf_h\.ipv4->check, nf_old(?:_\d+)?, nf_new(?:_\d+)?, false\);/);
  });

  test("an address write updates the IPv4 checksum and the L4 pseudo-header checksum", () => {
    expect(c).toMatch(/nf_csum_replace4\(&nf_h\.ipv4->check, nf_old(?:_\d+)?, nf_new(?:_\d+)?\);/);
    expect(c).toMatch(
      /if \(nf_h\.tcp\) \{\n\t+nf_csum_replace4\(&nf_h\.tcp->check, nf_old(?:_\d+)?, nf_new(?:_\d+)?\);\n\t+\} else if \(nf_h\.udp\) \{\n\t+nf_udp_csum_replace4\(&nf_h\.udp->check/,
    );
  });
});
