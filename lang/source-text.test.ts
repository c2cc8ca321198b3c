// Source text as editors save it: a UTF-8 byte order mark, CRLF, CR-only and mixed line endings,
// tabs, NUL bytes and bytes that are not UTF-8. Each gives the same line:col a user sees in the
// editor, in the lexer's, the parser's and the checker's diagnostics and in the renderings.
import { describe, expect, it } from "vitest";
import { checkSource } from "./index.js";
import { renderHuman, renderJson } from "./diagnostics/render.js";
import { decodeSource, firstInvalidByte } from "./source.js";
import { lineCol, makeSpan } from "./span.js";

/** Line 1 `nf`, then a lexer error (line 3), a parser error (line 5) and — alone — a checker error. */
const LEX = "nf t on xdp\n// comment\non packet { # }\n";
const PARSE = "nf t on xdp\n// comment\n\non packet {\n  let = 1\n}\n";
const CHECK = "nf t on xdp\n// comment\non packet {\n  let x: u32 = y\n  pass\n}\n";

const endings: Record<string, (s: string) => string> = {
  LF: (s) => s,
  CRLF: (s) => s.replace(/\n/g, "\r\n"),
  "CR only": (s) => s.replace(/\n/g, "\r"),
  // never a CR right before an LF of the next (empty) line: that pair is one CRLF break
  mixed: (s) =>
    s
      .split("\n")
      .map((l, i) => l + ["\r\n", "\n", "\r"][i % 3])
      .join(""),
  "BOM + LF": (s) => "\uFEFF" + s,
  "BOM + CR": (s) => "\uFEFF" + s.replace(/\n/g, "\r"),
};

const at = (src: string): string[] =>
  checkSource(src, "s.nf").diagnostics.map((d) => `${d.code}@${d.span?.line}:${d.span?.col}`);

describe("line endings and a byte order mark", () => {
  for (const [name, f] of Object.entries(endings)) {
    it(`${name}: lexer, parser and checker errors at the editor's line:col`, () => {
      expect(at(f(LEX))).toEqual(["NF1001@3:13"]);
      expect(at(f(PARSE))).toEqual(["NF1010@5:7"]);
      expect(at(f(CHECK))).toEqual(["NF2001@4:16"]);
    });
    it(`${name}: a line comment ends at the line break (the handler after it is seen)`, () => {
      expect(at(f("nf t on xdp\n// c\non packet { pass }\n"))).toEqual([]);
    });
    it(`${name}: the excerpt shows the line and underlines the name`, () => {
      const src = f(CHECK);
      const d = checkSource(src, "s.nf").diagnostics[0]!;
      const text = renderHuman(d, src);
      expect(text).toContain(" --> s.nf:4:16\n");
      expect(text).toContain("4 |   let x: u32 = y\n  |                ^ not found\n");
      expect(text).not.toMatch(/[\r\uFEFF]/);
    });
  }

  it("a BOM is not a column: line 1 starts after it, offsets stay those of the text", () => {
    const src = "\uFEFFnf t on xdq\non packet { pass }\n";
    const d = checkSource(src, "s.nf").diagnostics[0]!;
    expect([d.code, d.span?.line, d.span?.col, d.span?.start]).toEqual(["NF1017", 1, 9, 9]);
    expect(src.slice(d.span!.start, d.span!.end)).toBe("xdq");
    expect(renderHuman(d, src)).toContain("1 | nf t on xdp".replace("xdp", "xdq") + "\n  |         ^^^");
  });

  it("a BOM elsewhere is an unexpected character", () => {
    expect(at("nf t on xdp\non packet { \uFEFF pass }\n")).toEqual(["NF1001@2:13"]);
  });

  it("JSON spans are the API's spans: offsets, and line:col counting CR and CRLF as line breaks", () => {
    const src = "nf t on xdp\r\non packet {\r  drop\r\n".replace(/$/, "");
    const d = checkSource(src, "s.nf").diagnostics[0]!;
    expect(d.code).toBe("NF1011");
    const j = JSON.parse(renderJson({ ...d, span: makeSpan("s.nf", src, 25, src.length) }));
    expect(j.span).toEqual({ file: "s.nf", start: 25, end: src.length, line: 3, col: 1 });
  });

  it("lineCol agrees with the parser's spans on every offset of a mixed file", () => {
    const src = "\uFEFFab\r\ncd\ref\ngh";
    const want = [
      [1, 1],
      [1, 1],
      [1, 2],
      [1, 3],
      [1, 4],
      [2, 1],
      [2, 2],
      [2, 3],
      [3, 1],
      [3, 2],
      [3, 3],
      [4, 1],
      [4, 2],
    ];
    expect([...src].map((_, i) => Object.values(lineCol(src, i)))).toEqual(want);
  });

  it("tabs count one column each and the excerpt expands them", () => {
    const src = "nf t on xdp\non packet {\n\t\tlet x: u32 = y\n\tpass\n}\n";
    const d = checkSource(src, "s.nf").diagnostics[0]!;
    expect([d.code, d.span?.line, d.span?.col]).toEqual(["NF2001", 3, 16]);
    expect(renderHuman(d, src)).toContain("3 |         let x: u32 = y\n  |                      ^ not found");
  });

  it("a NUL byte is an unexpected character, shown escaped", () => {
    const ds = checkSource("nf t on xdp\non packet {\n  pass\0\n}\n", "s.nf").diagnostics;
    expect(ds.map((d) => `${d.code}@${d.span?.line}:${d.span?.col} ${d.message}`)).toEqual([
      "NF1001@3:7 unexpected character `\\u{0}`",
    ]);
  });
});

describe("bytes that are not UTF-8 (NF1027)", () => {
  const enc = (s: string): number[] => [...new TextEncoder().encode(s)];
  const cases: [string, number[], number][] = [
    ["Latin-1 é", [0xe9], 0],
    ["lone continuation byte", [0x80], 0],
    ["overlong `/`", [0xc0, 0xaf], 0],
    ["overlong 3-byte", [0xe0, 0x80, 0xaf], 0],
    ["surrogate", [0xed, 0xa0, 0x80], 0],
    ["past U+10FFFF", [0xf4, 0x90, 0x80, 0x80], 0],
    ["truncated at the end", [0xe2, 0x82], 0],
    ["0xff", [0xff], 0],
  ];
  for (const [name, bad, off] of cases) {
    it(`${name}: NF1027 at the bad byte's line:col`, () => {
      const bytes = new Uint8Array([
        ...enc("nf t on xdp\n// café ok\non packet { pass }\n// "),
        ...bad,
        ...enc(" x\n"),
      ]);
      expect(firstInvalidByte(new Uint8Array(bad))).toBe(off);
      const r = decodeSource(bytes, "b.nf");
      expect(r.diagnostics.map((d) => `${d.code}@${d.span?.line}:${d.span?.col}`)).toEqual(["NF1027@4:4"]);
      expect(r.diagnostics[0]!.message).toContain(
        `byte 0x${bad[0]!.toString(16)} at offset ${bytes.length - bad.length - 3}`,
      );
    });
  }

  it("valid UTF-8 (2-, 3- and 4-byte sequences, a BOM) decodes without diagnostics", () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...enc("nf t on xdp // é € 𝄞\non packet { pass }\n")]);
    const r = decodeSource(bytes, "b.nf");
    expect(r.diagnostics).toEqual([]);
    expect(at(r.source)).toEqual([]);
  });
});
