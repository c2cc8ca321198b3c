// One test per NF1xxx code: the code, the exact line:col of the primary span, and the message.
import { describe, expect, it } from "vitest";
import { syntaxCodes } from "../diagnostics/codes-syntax.js";
import { parse } from "./index.js";

const H = "nf t on xdp\n";

/** [code, source, line, col, message fragment] */
const cases: [string, string, number, number, string][] = [
  ["NF1001", H + "on packet { # drop\n pass }", 2, 13, "unexpected character `#`"],
  ["NF1002", H + "counter c\n  /* open\non packet { pass }", 3, 3, "unterminated block comment"],
  ["NF1003", H + 'const S: u8 = "abc\non packet { pass }', 2, 15, "unterminated string"],
  ["NF1004", H + "const A: u32 = 0xfg", 2, 16, "`0xfg` is not a valid integer"],
  ["NF1005", H + "const A: u64 = 18446744073709551616", 2, 16, "does not fit in 64 bits"],
  ["NF1006", H + "const A: ip4 = 300.1.1.1", 2, 16, "`300.1.1.1` is not a valid IPv4 address"],
  ["NF1007", H + "const A: ip6 = 1:2:3", 2, 16, "`1:2:3` is not a valid IPv6 or MAC address"],
  ["NF1008", H + "const A: ip4 = 10.0.0.0/33", 2, 25, "prefix length `33` is too long"],
  ["NF1009", H + 'const S: u8 = "a\\qb"', 2, 17, "unknown escape `\\q`"],
  ["NF1010", H + "table t hash<ip4, u64>(capacity = 16)", 2, 9, "expected `:`, found `hash`"],
  [
    "NF1011",
    H + "on packet {\n  if x { pass }\n  drop\n",
    4,
    7,
    "expected `}` to close the block opened at 2:11",
  ],
  ["NF1012", H + "on packet {\n  let a = (1 + )\n  pass\n}", 3, 16, "expected an expression, found `)`"],
  ["NF1013", H + "on packet {\n  passs\n}", 3, 3, "`passs` is not a statement"],
  ["NF1014", H + "counter c\npass", 3, 1, "expected a declaration, found `pass`"],
  ["NF1015", "counter c\non packet { pass }", 1, 1, "the program does not start with an `nf` line"],
  ["NF1016", H + "counter c\nnf u on tc", 3, 1, "a program has only one `nf` line"],
  ["NF1017", "nf t on socket\n", 1, 9, "unknown hook `socket`"],
  [
    "NF1018",
    H + "on packet {\n  let ip = ipv4 else pass\n}",
    3,
    22,
    "`else` must be followed by a block or `if`",
  ],
  ["NF1019", H + "on frame { pass }", 2, 4, "unknown event `frame`"],
  ["NF1020", H + "on packet {\n  f() = 1\n  pass\n}", 3, 3, "cannot assign to this expression"],
  ["NF1021", H + "header h { rsvd: bytes }", 2, 18, "`bytes` needs a length"],
  ["NF1022", H + 'test "t" { check 1 }', 2, 12, "`check` is not a test statement"],
  [
    "NF1023",
    H + "const A: u8 = " + "(".repeat(40) + "1" + ")".repeat(40),
    2,
    47,
    "brackets nest deeper than 32 levels",
  ],
  ["NF1024", H + "const A: u8 = 1" + " + 1".repeat(100), 2, 15, "nests 101 levels deep; the limit is 64"],
  [
    "NF1025",
    H +
      "on packet {\n  let p: u32 = pkt_len()\n  if p == 0 { drop }\n" +
      "  else if p == 1 { drop }\n".repeat(300) +
      "  pass\n}",
    260,
    3,
    "this `if` chain has more than 256 branches",
  ],
  [
    "NF1026",
    H +
      "on packet {\n  let p: u32 = pkt_len()\n  match p {\n" +
      "    1 => { drop }\n".repeat(600) +
      "  }\n  pass\n}",
    517,
    7,
    "this `match` has more than 512 arms",
  ],
];

describe("syntax codes", () => {
  it("every NF1xxx code has a case here", () => {
    // NF1027 (bytes that are not UTF-8) comes from decodeSource, before there is text to parse:
    // lang/source-text.test.ts
    expect([...new Set([...cases.map((c) => c[0]), "NF1027"])].sort()).toEqual(
      Object.keys(syntaxCodes).sort(),
    );
  });

  it.each(cases)("%s", (code, src, line, col, msg) => {
    const ds = parse(src, "e.nf").diagnostics;
    const d = ds.find((x) => x.code === code);
    expect(d, JSON.stringify(ds.map((x) => [x.code, x.message]))).toBeTruthy();
    expect(d!.message).toContain(msg);
    expect([d!.span?.line, d!.span?.col]).toEqual([line, col]);
    expect(d!.span?.file).toBe("e.nf");
  });

  it("missing `}` names the opener with a secondary label", () => {
    const d = parse(H + "on packet {\n  drop\n", "e.nf").diagnostics[0]!;
    expect(d.code).toBe("NF1011");
    expect(d.label).toBe("found end of file");
    expect(d.secondary).toEqual([
      {
        span: expect.objectContaining({ line: 2, col: 11, start: 22, end: 23 }),
        message: "block opened here",
      },
    ]);
  });

  it("misplaced `nf` line, `u32[4]`, `did you mean`", () => {
    const mis = parse("counter c\nnf t on xdp", "e.nf").diagnostics;
    expect(mis.map((d) => [d.code, d.message, d.span?.line])).toEqual([
      ["NF1016", "the `nf` line must come first", 2],
    ]);
    const len = parse(H + "type t { a: u32[4] }", "e.nf").diagnostics;
    expect(len.map((d) => [d.code, d.message, d.span?.col])).toEqual([
      ["NF1021", "`u32` does not take a length", 16],
    ]);
    expect(parse(H + "on packet { dorp }", "e.nf").diagnostics[0]?.help).toBe("did you mean `drop`?");
  });

  it("several mistakes in one file give several diagnostics", () => {
    const src = `nf t on xdp
const A: ip4 = 300.1.1.1
table t hash<ip4, u64>(capacity = 16)
on packet {
  let a = (1 + )
  passs
  if a { drop } else pass
  foo(1, 2
}
`;
    const got = parse(src, "e.nf").diagnostics.map((d) => `${d.code}@${d.span?.line}:${d.span?.col}`);
    expect(got).toEqual([
      "NF1006@2:16",
      "NF1010@3:9",
      "NF1012@5:16",
      "NF1013@6:3",
      "NF1018@7:22",
      "NF1011@9:1",
    ]);
  });

  it("returns the partial program when the nf line parsed, none without it", () => {
    const r = parse(H + "on packet { let x = }", "e.nf");
    expect(r.program?.name.name).toBe("t");
    expect(r.program?.decls[0]).toMatchObject({
      kind: "handler",
      body: { stmts: [{ kind: "let", value: { kind: "error" } }] },
    });
    expect(parse("on packet { pass }", "e.nf").program).toBeUndefined();
  });
});
