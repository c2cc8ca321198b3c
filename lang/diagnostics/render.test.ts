// Renderer goldens: each case renders its diagnostics human + short + json into
// __golden__/<case>.txt (review them like code; `npx vitest run -u` rewrites after a deliberate
// change). Plus exact checks for EOF spans, tabs, multi-line spans, no span and colour.
import { describe, expect, it } from "vitest";
import { parse } from "../syntax/index.js";
import { makeSpan } from "../span.js";
import { diag } from "./catalogue.js";
import type { Diagnostic } from "./diagnostic.js";
import { renderHuman, renderJson, renderShort } from "./render.js";

function all(ds: Diagnostic[], source: string): string {
  return ds.map((d) => [renderHuman(d, source), renderShort(d), renderJson(d), ""].join("\n")).join("\n");
}

const goldens: Record<string, string> = {
  "missing-brace": "nf t on xdp\n\non packet {\n  if x > 1 {\n    drop\n  }\n  pass\n",
  "bad-addresses":
    "nf t on xdp\nconst A: ip4 = 300.1.1.1\nconst B: ip6 = 1:2:3\nconst C: ip4 = 10.0.0.0/33\n",
  "not-a-statement": "nf t on xdp\non packet {\n  passs\n  f() = 1\n}\n",
  "else-without-block":
    "nf t on xdp\non packet {\n  let ip = ipv4 else pass\n  if ip.ttl < 2 { drop } else drop\n}\n",
  "header-problems": "counter c\nnf t on socket\nnf u on xdp\n",
  "tabs-and-expression": "nf t on xdp\non packet {\n\tlet a = (1 +\t)\n\tpass\n}\n",
};

describe("render goldens", () => {
  it.each(Object.entries(goldens))("%s", async (name, src) => {
    const ds = parse(src, `${name}.nf`).diagnostics;
    expect(ds.length).toBeGreaterThan(0);
    await expect(`--- source\n${src}--- diagnostics\n${all(ds, src)}`).toMatchFileSnapshot(
      `./__golden__/${name}.txt`,
    );
  });
});

describe("render details", () => {
  it("human: header, arrow, gutter, underline, help", () => {
    const src = "nf t on xdp\non packet { passs }\n";
    const d = parse(src, "a.nf").diagnostics[0]!;
    expect(renderHuman(d, src)).toBe(
      [
        "error[NF1013]: `passs` is not a statement",
        " --> a.nf:2:13",
        "  |",
        "2 | on packet { passs }",
        "  |             ^^^^^ not a statement",
        "  |",
        "  = help: did you mean `pass`?",
        "",
      ].join("\n"),
    );
  });

  it("short and json", () => {
    const src = "nf t on xdp\nconst A: ip4 = 1.2.3\n";
    const d = parse(src, "a.nf").diagnostics[0]!;
    expect(renderShort(d)).toBe("a.nf:2:16: error NF1006: `1.2.3` is not a valid IPv4 address");
    expect(JSON.parse(renderJson(d))).toEqual({
      code: "NF1006",
      severity: "error",
      message: "`1.2.3` is not a valid IPv4 address",
      span: { file: "a.nf", start: 27, end: 32, line: 2, col: 16 },
      label: "it has 3 parts, an IPv4 address has 4",
      help: "an IPv4 address is four numbers from 0 to 255 separated by `.`, e.g. `10.0.0.1`",
      secondary: [],
    });
    expect(renderJson(d)).not.toContain("\n");
  });

  it("span at end of file with a trailing newline", () => {
    const src = "nf t on xdp\n";
    const d = diag("NF1012", makeSpan("a.nf", src, src.length, src.length), { found: "end of file" });
    expect(renderHuman(d, src).split("\n").slice(1, 5)).toEqual([
      " --> a.nf:2:1",
      "  |",
      "2 |",
      "  | ^ expected an expression here",
    ]);
  });

  it("tabs expand to four columns and the underline follows", () => {
    const src = "\tx\t= 1\n";
    const d = diag("NF1020", makeSpan("a.nf", src, 1, 2), {});
    expect(renderHuman(d, src).split("\n").slice(3, 5)).toEqual([
      "1 |     x    = 1",
      "  |     ^ not a variable, field or element",
    ]);
  });

  it("multi-line spans underline the first line and say `...`; secondaries use `-`", () => {
    const src = "nf t on xdp\non packet {\n  pass\n\n\n}\n";
    const open = src.indexOf("{");
    const d = diag(
      "NF1019",
      makeSpan("a.nf", src, 12, src.length - 1),
      { found: "`x`" },
      { secondary: [{ span: makeSpan("a.nf", src, 0, 2), message: "here" }] },
    );
    const lines = renderHuman(d, src).split("\n");
    expect(lines.slice(2, 8)).toEqual([
      "  |",
      "1 | nf t on xdp",
      "  | -- here",
      "2 | on packet {",
      "  | ^^^^^^^^^^^... expected `packet`",
      "  |",
    ]);
    expect(open).toBe(22);
    // one span shape: the JSON line is the API's Diagnostic (offsets, line, col)
    expect(JSON.parse(renderJson(d))).toMatchObject({
      span: { file: "a.nf", start: 12, end: src.length - 1, line: 2, col: 1 },
      secondary: [{ span: { file: "a.nf", start: 0, end: 2, line: 1, col: 1 }, message: "here" }],
    });
    expect(JSON.parse(renderJson(d))).toEqual(JSON.parse(JSON.stringify({ ...d, help: d.help ?? null })));
  });

  it("distant labels are separated by `...`", () => {
    const src = "a\nb\nc\nd\n";
    const d = diag(
      "NF1016",
      makeSpan("a.nf", src, 6, 7),
      { what: "duplicate" },
      { secondary: [{ span: makeSpan("a.nf", src, 0, 1), message: "first" }] },
    );
    expect(renderHuman(d, src).split("\n").slice(2, 8)).toEqual([
      "  |",
      "1 | a",
      "  | - first",
      "...",
      "4 | d",
      "  | ^ second `nf` line",
    ]);
  });

  it("diagnostics without a span", () => {
    const d = diag("NF5001", undefined, { tried: "clang-19, clang" });
    expect(renderHuman(d, "")).toBe(
      "error[NF5001]: no clang found (looked for clang-19, clang)\n  = help: run `./setup.sh`, or install `clang-19` and set `NFC_CLANG` to its path\n",
    );
    expect(renderShort(d)).toBe("error NF5001: no clang found (looked for clang-19, clang)");
    expect(JSON.parse(renderJson(d))).toMatchObject({ span: null, label: null });
  });

  it("colour only when asked", () => {
    const src = "nf t on xdp\non packet { passs }\n";
    const d = parse(src, "a.nf").diagnostics[0]!;
    expect(renderHuman(d, src)).not.toContain("\x1b[");
    const c = renderHuman(d, src, { color: true });
    expect(c).toContain("\x1b[1;31merror[NF1013]\x1b[0m");
    expect(c.replace(/\x1b\[[0-9;]*m/g, "")).toBe(renderHuman(d, src));
  });
});
