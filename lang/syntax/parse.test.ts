// Parser tests: whole programs (LANGUAGE.md, examples/), AST shape, precedence, spans, hooks,
// `else if`, struct literals vs blocks, keywords vs identifiers.
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import type { Block, Decl, Expr, Program, Stmt } from "../ast.js";
import { parse } from "./index.js";

function ok(src: string): Program {
  const r = parse(src, "t.nf");
  expect(r.diagnostics.map((d) => `${d.code} ${d.span?.line}:${d.span?.col} ${d.message}`)).toEqual([]);
  if (r.program === undefined) throw new Error("no program");
  return r.program;
}

function handler(p: Program): Block {
  const h = p.decls.find((d): d is Decl & { kind: "handler" } => d.kind === "handler");
  if (h === undefined) throw new Error("no handler");
  return h.body;
}

/** Parses `e` as the value of `let v = e` inside a handler. */
function expr(e: string): Expr {
  const s = handler(ok(`nf t on xdp\non packet { let v = ${e}\npass }`)).stmts[0];
  if (s?.kind !== "let") throw new Error("not a let");
  return s.value;
}

/** Fully parenthesised rendering of an expression, for precedence tests. */
function show(e: Expr): string {
  switch (e.kind) {
    case "binary":
      return `(${show(e.left)} ${e.op} ${show(e.right)})`;
    case "unary":
      return `(${e.op}${show(e.operand)})`;
    case "name":
      return e.name.name;
    case "int":
      return e.value.toString();
    case "field":
      return `${show(e.base)}.${e.field.name}`;
    case "method":
      return `${show(e.target)}.${e.method.name}(${e.args.map((a) => show(a.value)).join(", ")})`;
    case "call":
      return `${e.callee.name}(${e.args.map((a) => (a.name ? a.name.name + "=" : "") + show(a.value)).join(", ")})`;
    case "index":
      return `${show(e.base)}[${show(e.index)}]`;
    case "cast":
      return `(${show(e.expr)} as ${e.type.kind === "named" ? e.type.name.name : "bytes"})`;
    case "struct":
      return `${e.type.name}{${e.fields.map((f) => `${f.name.name}: ${show(f.value)}`).join(", ")}}`;
    default:
      return e.kind;
  }
}

describe("whole programs", () => {
  const doc = readFileSync(new URL("../../docs/LANGUAGE.md", import.meta.url), "utf8");
  const blocks = [...doc.matchAll(/```\n([\s\S]*?)```/g)]
    .map((m) => m[1]!)
    .filter((b) => /^nf \w+ on (xdp|tc)( ingress| egress)?\s*$/m.test(b));

  it("LANGUAGE.md has at least the heavy_hitter program", () => {
    expect(blocks.length).toBeGreaterThanOrEqual(1);
  });

  it.each(blocks.map((b, i) => [i, b] as const))("LANGUAGE.md program %i parses", (_i, b) => {
    expect(ok(b).decls.length).toBeGreaterThan(0);
  });

  it.each(["heavy_hitter", "firewall", "router", "syn_guard"])("examples/%s.nf parses", (name) => {
    const p = ok(readFileSync(new URL(`../../examples/${name}.nf`, import.meta.url), "utf8"));
    expect(p.name.name).toBe(name);
    expect(p.hook).toBe("xdp");
  });

  it("heavy_hitter has the documented shape", () => {
    const p = ok(blocks[0]!);
    expect(p.name).toMatchObject({ name: "heavy_hitter", span: { line: 2, col: 4 } });
    expect(p.hookSpan).toMatchObject({ line: 2, col: 20 });
    expect(p.decls.map((d) => d.kind)).toEqual(["config", "state", "state", "counter", "handler"]);
    const [config, flows, blocked, counters] = p.decls;
    expect(config).toMatchObject({
      kind: "config",
      name: { name: "threshold" },
      type: { kind: "named", name: { name: "u32" } },
      value: { kind: "int", value: 10000n },
    });
    expect(config!.span).toMatchObject({ line: 4, col: 1 });
    expect(flows).toMatchObject({
      family: "sketch",
      name: { name: "flows" },
      blockKind: { name: "count_min" },
      typeArgs: [{ name: { name: "flow5" } }],
    });
    expect(
      flows?.kind === "state" &&
        flows.args.map((a) => [a.name.name, a.value?.kind === "int" ? a.value.value : null]),
    ).toEqual([
      ["rows", 4n],
      ["width", 65536n],
    ]);
    expect(blocked).toMatchObject({
      family: "table",
      blockKind: { name: "hash" },
      typeArgs: [{ name: { name: "ip4" } }, { name: { name: "u64" } }],
    });
    expect(counters).toMatchObject({ kind: "counter", names: [{ name: "dropped" }, { name: "passed" }] });
    const body = handler(p).stmts;
    expect(body.map((s) => s.kind)).toEqual(["let", "if", "let", "expr", "if", "assign", "verdict"]);
    expect(body[0]).toMatchObject({
      kind: "let",
      name: { name: "ip" },
      value: { kind: "name", name: { name: "ipv4" } },
      else: { stmts: [{ kind: "verdict", verdict: "pass" }] },
    });
    expect(body[0]!.span).toMatchObject({ line: 11, col: 3 });
    const if1 = body[1] as Stmt & { kind: "if" };
    expect(if1.cond.kind === "expr" && show(if1.cond.expr)).toBe("blocked.contains(ip.src)");
    expect(if1.then.stmts.map((s) => s.kind)).toEqual(["assign", "verdict"]);
    expect(body[5]).toMatchObject({
      kind: "assign",
      op: "+=",
      target: { kind: "name", name: { name: "passed" } },
      opSpan: { line: 16, col: 10 },
    });
    const if2 = body[4] as Stmt & { kind: "if" };
    expect(if2.cond.kind === "expr" && show(if2.cond.expr)).toBe("(flows.estimate(f) > threshold)");
    // a span covers the whole construct: the `if` runs to its closing brace
    const src = blocks[0]!;
    expect(src.slice(if2.span.start, if2.span.end)).toBe(
      "if flows.estimate(f) > threshold { blocked.insert(ip.src, now_ns()); drop }",
    );
  });
});

describe("expressions", () => {
  it.each([
    ["a + b * c == d && e", "(((a + (b * c)) == d) && e)"],
    ["a || b && c", "(a || (b && c))"],
    ["a | b ^ c & d", "(a | (b ^ (c & d)))"],
    ["a << 1 + 2", "(a << (1 + 2))"],
    ["a - b - c", "((a - b) - c)"],
    ["-x as u16", "(-(x as u16))"],
    ["!a.b == c", "((!a.b) == c)"],
    ["~x[1] % 3", "((~x[1]) % 3)"],
    ["(a + b) * c", "((a + b) * c)"],
    ["t.get(k).v", "t.get(k).v"],
    ["f(1, n = 2 + 3)", "f(1, n=(2 + 3))"],
    ["a < b <= c", "((a < b) <= c)"],
    ["flow5 { src: a, dst: b.c, sport: 1 }", "flow5{src: a, dst: b.c, sport: 1}"],
  ])("%s", (src, want) => {
    expect(show(expr(src))).toBe(want);
  });

  it("operator spans point at the operator, node spans cover both operands", () => {
    const e = expr("a + b * c");
    expect(e).toMatchObject({
      kind: "binary",
      op: "+",
      opSpan: { line: 2, col: 23, start: 34, end: 35 },
      span: { line: 2, col: 21, start: 32, end: 41 },
    });
  });

  it("literal bytes", () => {
    expect(expr("10.0.0.1")).toMatchObject({ kind: "ip4", bytes: [10, 0, 0, 1] });
    expect(expr("2001:db8::1")).toMatchObject({
      kind: "ip6",
      bytes: [0x20, 0x01, 0x0d, 0xb8, ...Array(11).fill(0), 1],
    });
    expect(expr("::")).toMatchObject({ kind: "ip6", bytes: Array(16).fill(0) });
    expect(expr("::1")).toMatchObject({ kind: "ip6", bytes: [...Array(15).fill(0), 1] });
    expect(expr("fe80::")).toMatchObject({ kind: "ip6", bytes: [0xfe, 0x80, ...Array(14).fill(0)] });
    expect(expr("::ffff:192.0.2.1")).toMatchObject({
      kind: "ip6",
      bytes: [...Array(10).fill(0), 0xff, 0xff, 192, 0, 2, 1],
    });
    expect(expr("1:2:3:4:5:6:7:8")).toMatchObject({
      kind: "ip6",
      bytes: [0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 8],
    });
    expect(expr("02:00:00:00:00:0a")).toMatchObject({ kind: "mac", bytes: [2, 0, 0, 0, 0, 10] });
    expect(expr("10.0.0.0/8")).toMatchObject({
      kind: "prefix",
      len: 8,
      addr: { kind: "ip4", bytes: [10, 0, 0, 0], span: { start: 32, end: 40 } },
      span: { start: 32, end: 42 },
    });
    expect(expr("2001:db8::/32")).toMatchObject({ kind: "prefix", len: 32, addr: { kind: "ip6" } });
    expect(expr("0xff_ff")).toMatchObject({ kind: "int", value: 0xffffn, text: "0xff_ff" });
    expect(expr("0b1010")).toMatchObject({ kind: "int", value: 10n });
    expect(expr("65_536")).toMatchObject({ kind: "int", value: 65536n });
    expect(expr("18446744073709551615")).toMatchObject({ kind: "int", value: 18446744073709551615n });
    expect(expr("0.001")).toMatchObject({ kind: "decimal", value: 0.001 });
    expect(expr('"a\\"b\\n"')).toMatchObject({ kind: "string", value: 'a"b\n' });
    expect(expr("true")).toMatchObject({ kind: "bool", value: true });
  });

  it("keywords are reserved but longer names are identifiers", () => {
    expect(expr("passed")).toMatchObject({ kind: "name", name: { name: "passed" } });
    expect(expr("tcp.dport")).toMatchObject({ kind: "field", base: { name: { name: "tcp" } } });
    expect(expr("iffy + _x")).toMatchObject({
      kind: "binary",
      left: { name: { name: "iffy" } },
      right: { name: { name: "_x" } },
    });
    expect(parse("nf t on xdp\non packet { let pass = 1\npass }", "t.nf").diagnostics[0]?.code).toBe(
      "NF1010",
    );
  });
});

describe("statements and declarations", () => {
  it("hooks", () => {
    expect(ok("nf a on xdp").hook).toBe("xdp");
    expect(ok("nf a on tc").hook).toBe("tc_ingress");
    expect(ok("nf a on tc ingress").hook).toBe("tc_ingress");
    const p = ok("nf a on tc egress");
    expect(p.hook).toBe("tc_egress");
    expect(p.hookSpan).toMatchObject({ start: 8, end: 17 });
  });

  it("`else if` nests an `if` in the else block", () => {
    const [s] = handler(
      ok("nf t on xdp\non packet { if a { pass } else if let t = tcp { drop } else { tx } }"),
    ).stmts;
    expect(s).toMatchObject({
      kind: "if",
      cond: { kind: "expr", expr: { kind: "name" } },
      else: {
        stmts: [
          {
            kind: "if",
            cond: { kind: "let", name: { name: "t" }, value: { name: { name: "tcp" } } },
            then: { stmts: [{ verdict: "drop" }] },
            else: { stmts: [{ verdict: "tx" }] },
          },
        ],
      },
    });
  });

  it("`if x {` is never a struct literal; `T { f:` is", () => {
    const [s1, s2] = handler(ok("nf t on xdp\non packet { if x { y = 1 }\nlet r = T { a: 1 } }")).stmts;
    expect(s1).toMatchObject({
      kind: "if",
      cond: { expr: { kind: "name", name: { name: "x" } } },
      then: { stmts: [{ kind: "assign" }] },
    });
    expect(s2).toMatchObject({ kind: "let", value: { kind: "struct", type: { name: "T" } } });
  });

  it("a struct literal's field names may be keywords, as in the type (`S { pass: 1 }`)", () => {
    const [s1, s2] = handler(
      ok("nf t on xdp\non packet { let s = S { pass: 1, if: 2 }\nt.insert(1, S { on: 3, table: 4 }) }"),
    ).stmts;
    expect(s1).toMatchObject({
      kind: "let",
      value: { kind: "struct", fields: [{ name: { name: "pass" } }, { name: { name: "if" } }] },
    });
    expect(s2).toMatchObject({
      kind: "expr",
      expr: {
        kind: "method",
        args: [
          {},
          { value: { kind: "struct", fields: [{ name: { name: "on" } }, { name: { name: "table" } }] } },
        ],
      },
    });
    // `{ pass }` after a condition stays a block
    const [s3] = handler(ok("nf t on xdp\non packet { if x { pass } }")).stmts;
    expect(s3).toMatchObject({ kind: "if", then: { stmts: [{ kind: "verdict", verdict: "pass" }] } });
  });

  it("match, for, repeat, break, redirect, var, semicolons", () => {
    const b = handler(
      ok(`nf t on xdp
on packet {
  var n: u32 = 0;;
  for i in 0..4 { n += i; if n > 2 { break } }
  repeat 3 { n <<= 1 }
  match n { 1, 2 => { pass } 3..10 => { drop }, _ => { redirect(n) } }
}`),
    ).stmts;
    expect(b.map((s) => s.kind)).toEqual(["var", "for", "repeat", "match"]);
    expect(b[0]).toMatchObject({ type: { kind: "named", name: { name: "u32" } } });
    expect(b[1]).toMatchObject({
      var: { name: "i" },
      lo: { value: 0n },
      hi: { value: 4n },
      body: { stmts: [{ op: "+=" }, { kind: "if" }] },
    });
    expect(b[2]).toMatchObject({ count: { value: 3n }, body: { stmts: [{ op: "<<=" }] } });
    expect(b[3]).toMatchObject({
      arms: [
        {
          patterns: [
            { kind: "value", value: { value: 1n } },
            { kind: "value", value: { value: 2n } },
          ],
        },
        { patterns: [{ kind: "range", lo: { value: 3n }, hi: { value: 10n } }] },
        {
          patterns: [{ kind: "wildcard" }],
          body: { stmts: [{ kind: "redirect", ifindex: { name: { name: "n" } } }] },
        },
      ],
    });
    expect(b[3]!.span).toMatchObject({ line: 6, col: 3 });
  });

  it("types, headers, parse, const, bytes[N], per_cpu flags", () => {
    const p = ok(`nf t on tc
const N: u32 = 1 << 4
type pair { a: u32, b: bytes[N] }
header vxlan { flags: u8, rsvd: bytes[3], vni: u32 }
parse udp.dport == 4789 => vxlan
table s: array<u32, pair>(capacity = 16, per_cpu)
queue q: fifo<u32>(capacity = 8)`);
    expect(p.decls.map((d) => d.kind)).toEqual(["const", "type", "header", "parse", "state", "state"]);
    expect(p.decls[1]).toMatchObject({
      fields: [
        { name: { name: "a" } },
        { name: { name: "b" }, type: { kind: "bytes", len: { kind: "name" } } },
      ],
    });
    expect(p.decls[3]).toMatchObject({
      kind: "parse",
      after: { name: "udp" },
      field: { name: "dport" },
      value: { value: 4789n },
      header: { name: "vxlan" },
    });
    expect(p.decls[4]).toMatchObject({
      args: [{ name: { name: "capacity" }, value: { value: 16n } }, { name: { name: "per_cpu" } }],
    });
    expect(p.decls[4]?.kind === "state" && p.decls[4].args[1]?.value).toBeUndefined();
    expect(p.decls[5]).toMatchObject({ family: "queue", blockKind: { name: "fifo" } });
  });
});

describe("keywords as field names", () => {
  it("`eth.type`, `icmp.type` and a header field named `type` parse as fields", () => {
    const src =
      "nf k on xdp\nheader h { type: u16, in: u8 }\non packet {\n  let e = eth else { pass }\n  if e.type == 0x0800 { pass }\n  e.type = 1\n  drop\n}\n";
    const r = parse(src, "k.nf");
    expect(r.diagnostics).toEqual([]);
    const hdr = r.program!.decls.find((d) => d.kind === "header");
    expect(hdr?.kind === "header" && hdr.fields.map((f) => f.name.name)).toEqual(["type", "in"]);
    const handler = r.program!.decls.find((d) => d.kind === "handler")!;
    const ifs = handler.kind === "handler" ? handler.body.stmts[1]! : undefined;
    expect(
      ifs?.kind === "if" &&
        ifs.cond.kind === "expr" &&
        ifs.cond.expr.kind === "binary" &&
        ifs.cond.expr.left.kind === "field" &&
        ifs.cond.expr.left.field,
    ).toMatchObject({ name: "type", span: { line: 5, col: 8 } });
  });
});

describe("grammar", () => {
  it("passes chevrotain's grammar validations (skipped at run time for speed)", async () => {
    const { newParser } = await import("./parser.js");
    expect(() => newParser(true)).not.toThrow();
  });
});
