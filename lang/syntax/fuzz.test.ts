// Robustness: seeded random bytes, token soup and mutated examples must never throw, and every
// diagnostic must be an NF1xxx code with a well-formed span inside the source.
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { makeSpan } from "../span.js";
import { parse } from "./index.js";
import { rng } from "../rng.js";

const VOCAB = [
  "nf",
  "x",
  "on",
  "xdp",
  "tc",
  "ingress",
  "egress",
  "packet",
  "{",
  "}",
  "(",
  ")",
  "[",
  "]",
  "let",
  "var",
  "=",
  "==",
  "else",
  "if",
  "match",
  "=>",
  "_",
  "for",
  "in",
  "..",
  "repeat",
  "break",
  "pass",
  "drop",
  "tx",
  "redirect",
  "as",
  "u32",
  "bytes",
  "table",
  "sketch",
  "queue",
  "counter",
  "const",
  "config",
  "type",
  "header",
  "parse",
  ":",
  ",",
  ";",
  ".",
  "+",
  "-",
  "*",
  "/",
  "%",
  "<<",
  ">>=",
  "&&",
  "||",
  "!",
  "~",
  "0",
  "0x1f",
  "0b2",
  "99999999999999999999999",
  "1.5",
  "10.0.0.1",
  "300.1.1.1",
  "10.0.0.0/33",
  "::1",
  "1:2:3",
  "02:00:00:00:00:01",
  '"s"',
  '"open',
  "/* c */",
  "/* open",
  "// line\n",
  "#",
  "\t",
  "\n",
  "é",
  "T { a: 1 }",
  "f(",
  "a.b(",
  "passed",
];

function check(src: string): void {
  let r: ReturnType<typeof parse>;
  expect(() => (r = parse(src, "f.nf"))).not.toThrow();
  for (const d of r!.diagnostics) {
    expect(d.code, `${d.code} ${d.message} in ${JSON.stringify(src)}`).toMatch(/^NF1\d{3}$/);
    const s = d.span!;
    expect(s.start >= 0 && s.start <= s.end && s.end <= src.length, JSON.stringify(src)).toBe(true);
    expect(makeSpan("f.nf", src, s.start, s.end)).toEqual(s);
    for (const l of d.secondary) expect(l.span.end <= src.length).toBe(true);
  }
}

describe("fuzz", () => {
  it("random byte strings", () => {
    const r = rng(1);
    for (let i = 0; i < 1500; i++) {
      const n = Math.floor(r() * 60);
      let s = "";
      for (let j = 0; j < n; j++)
        s += String.fromCharCode(r() < 0.9 ? 9 + Math.floor(r() * 118) : Math.floor(r() * 0x3000));
      check(s);
    }
  });

  it("token soup", () => {
    const r = rng(2);
    for (let i = 0; i < 2000; i++) {
      const n = Math.floor(r() * 40);
      const parts = [r() < 0.7 ? "nf x on xdp" : ""];
      for (let j = 0; j < n; j++) parts.push(VOCAB[Math.floor(r() * VOCAB.length)]!);
      check(parts.join(r() < 0.5 ? " " : "\n"));
    }
  });

  it("mutated examples", () => {
    const r = rng(3);
    const srcs = ["heavy_hitter", "firewall", "router", "syn_guard"].map((n) =>
      readFileSync(new URL(`../../examples/${n}.nf`, import.meta.url), "utf8"),
    );
    for (let i = 0; i < 600; i++) {
      const toks = srcs[i % srcs.length]!.split(/(\s+)/);
      for (let k = 0; k < 1 + Math.floor(r() * 4); k++) {
        const at = Math.floor(r() * toks.length);
        const op = r();
        if (op < 0.4) toks.splice(at, 1);
        else if (op < 0.8) toks.splice(at, 0, VOCAB[Math.floor(r() * VOCAB.length)]!);
        else toks[at] = (toks[at] ?? "").slice(0, Math.floor(r() * 4));
      }
      check(toks.join(""));
    }
  });
});
