// Lexer: token boundaries between addresses, numbers, ranges and `:`; literal decoding; spans.
import { describe, expect, it } from "vitest";
import { makeSpan } from "../span.js";
import { lex } from "./lexer.js";
import { decodeIp6 } from "./literals.js";
import { spanner } from "./spans.js";

const kinds = (src: string) => lex(src, "l.nf").tokens.map((t) => `${t.tokenType.name}:${t.image}`);

describe("lexer", () => {
  it("one `:` is punctuation, two or more make an address", () => {
    expect(kinds("x:u32 T {a:1}")).toEqual([
      "Identifier:x",
      "Colon::",
      "Identifier:u32",
      "Identifier:T",
      "LCurly:{",
      "Identifier:a",
      "Colon::",
      "IntLit:1",
      "RCurly:}",
    ]);
    expect(kinds("::1 fe80::/10 de:ad:be:ef:00:01 ::ffff:1.2.3.4")).toEqual([
      "Ip6Lit:::1",
      "Ip6Lit:fe80::/10",
      "MacLit:de:ad:be:ef:00:01",
      "Ip6Lit:::ffff:1.2.3.4",
    ]);
  });

  it("ranges, decimals, dotted quads and field access", () => {
    expect(kinds("0..10 1.5 10.0.0.1/8 a.b 1.2.3")).toEqual([
      "IntLit:0",
      "DotDot:..",
      "IntLit:10",
      "DecimalLit:1.5",
      "Ip4Lit:10.0.0.1/8",
      "Identifier:a",
      "Dot:.",
      "Identifier:b",
      "Ip4Lit:1.2.3",
    ]);
  });

  it("keywords need the whole word", () => {
    expect(kinds("pass passed tc tcp in int _ _x")).toEqual([
      "Kw_pass:pass",
      "Identifier:passed",
      "Kw_tc:tc",
      "Identifier:tcp",
      "Kw_in:in",
      "Identifier:int",
      "Underscore:_",
      "Identifier:_x",
    ]);
  });

  it("comments are skipped; an unterminated one is reported once", () => {
    expect(kinds("a // b\n/* c\n d */ e")).toEqual(["Identifier:a", "Identifier:e"]);
    const r = lex("a /* open\nb", "l.nf");
    expect(r.tokens.map((t) => t.image)).toEqual(["a"]);
    expect(r.diagnostics.map((d) => [d.code, d.span?.line, d.span?.col])).toEqual([["NF1002", 1, 3]]);
  });

  it("malformed numbers are reported with their text", () => {
    const r = lex("0x 12ab 0b102 0xffff_ffff_ffff_ffff 0x1_0000_0000_0000_0000", "l.nf");
    expect(r.diagnostics.map((d) => [d.code, d.message, d.label])).toEqual([
      ["NF1004", "`0x` is not a valid integer", "`0x` has no digits after `0x`"],
      ["NF1004", "`12ab` is not a valid integer", "`a` is not a decimal digit"],
      ["NF1004", "`0b102` is not a valid integer", "`2` is not a binary digit"],
      ["NF1005", "`0x1_0000_0000_0000_0000` does not fit in 64 bits", "larger than 2^64-1"],
    ]);
  });

  it("IPv6 validation", () => {
    expect(decodeIp6("1::2::3")).toEqual({ ok: false, reason: "`::` may appear only once" });
    expect(decodeIp6("1:2:3:4:5:6:7::8")).toEqual({ ok: false, reason: "too many groups around `::`" });
    expect(decodeIp6("12345::")).toMatchObject({ ok: false });
    expect(decodeIp6("::1.2.3.999")).toMatchObject({ ok: false });
    expect(lex("02:00:00:00:00:01/8", "l.nf").diagnostics[0]).toMatchObject({
      code: "NF1007",
      label: "a MAC address has no prefix length",
    });
    expect(lex("::/129", "l.nf").diagnostics[0]).toMatchObject({ code: "NF1008", span: { col: 4 } });
  });

  it("spanner agrees with makeSpan", () => {
    const src = "ab\n\ncd\tef\nlast";
    const sp = spanner("s.nf", src);
    for (let s = 0; s <= src.length; s++)
      for (let e = s; e <= src.length; e++) expect(sp.span(s, e)).toEqual(makeSpan("s.nf", src, s, e));
  });

  it("comments are kept aside for the formatter, never given to the parser", () => {
    const src = "a // one\n/* two\n */ b";
    const r = lex(src, "c.nf");
    expect(r.tokens.map((t) => t.image)).toEqual(["a", "b"]);
    expect(r.comments).toEqual([
      { text: "// one", start: 2, end: 8, block: false },
      { text: "/* two\n */", start: 9, end: 19, block: true },
    ]);
    expect(r.diagnostics).toEqual([]);
  });
});

describe("definitions", () => {
  it("the token definitions pass chevrotain's validations (skipped at run time for speed)", async () => {
    const { Lexer } = (await import("./chevrotain.js")).chevrotain();
    const T = await import("./tokens.js");
    const { LEXER_CONFIG } = await import("./lexer.js");
    const l = new Lexer(T.allTokens, { ...LEXER_CONFIG, skipValidations: false });
    expect(l.lexerDefinitionErrors).toEqual([]);
  });
});
