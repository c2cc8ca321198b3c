// The middle end: each pass on small programs, asserting the IR/C it leaves behind.
import { describe, expect, test } from "vitest";
import { U8 } from "../../lang/types.js";
import {
  program,
  sp,
  sym,
  bindHeader,
  hfield,
  ifS,
  bin,
  lit,
  verdict,
  counterInc,
  letS,
  blit,
} from "../codegen/__fixtures__/build.js";
import { heavyHitter } from "../codegen/__fixtures__/programs.js";
import { lowerProgram } from "../lower/program.js";
import { generate } from "../pipeline.js";
import { decl, int } from "../ir/build.js";
import { bytesStruct, C_U32 } from "../ir/ctype.js";
import { visit } from "../ir/walk.js";
import { checkSource } from "../../lang/index.js";
import { constFold } from "./const-fold.js";
import { PASSES, runPasses } from "./index.js";
import { parseSet } from "./parse-set.js";
import { estimateStack, stackBudget, STACK_LIMIT, STACK_RESERVE } from "./stack.js";

const ipv4Only = () => {
  const ip = sym("ip", { kind: "header", name: "ipv4" }, { kind: "header", header: "ipv4" });
  return program({
    name: "p",
    usedHeaders: ["eth", "ipv4", "tcp", "udp"], // the checker may over-approximate
    handler: [
      bindHeader(ip, "ipv4", [verdict("pass")]),
      ifS(bin("==", hfield("ipv4", "ttl", U8), lit(1, U8)), [verdict("drop")]),
      verdict("pass"),
    ],
  });
};

describe("pass list", () => {
  test("reads as a table of contents: every pass has a name and a reason", () => {
    expect(PASSES.map((p) => p.name)).toEqual([
      "const-fold",
      "loop-once",
      "hash-cse",
      "value-hoist",
      "dead-locals",
      "parse-set",
      "counter-hoist",
      "scope-locals",
      "stack-budget",
      "map-limits",
    ]);
    for (const p of PASSES) expect(p.why.length).toBeGreaterThan(20);
  });
});

describe("parse-set", () => {
  test("keeps only headers the code reads, plus prerequisites", () => {
    const ir = parseSet.run(lowerProgram(ipv4Only()).ir!, []);
    expect(ir.handler.parse).toEqual(["eth", "ipv4"]);
  });

  test("flow5() pulls in tcp and udp for the ports", () => {
    const ir = runPasses(lowerProgram(heavyHitter()).ir!).ir;
    expect(ir.handler.parse).toEqual(["eth", "ipv4", "tcp", "udp", "l4_v4_only"]);
  });
});

describe("parse-set: the IP versions each header is read under", () => {
  const parseOf = (body: string, decls = ""): string[] => {
    const checked = checkSource(`nf p on xdp\n${decls}\non packet {\n${body}\n}\n`, "p.nf");
    expect(checked.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    return runPasses(lowerProgram(checked.program!).ir!).ir.handler.parse;
  };
  test.each([
    // L4 read only after ipv4 was seen: no L4 below IPv6, no extension-header walk
    [
      "let ip = ipv4 else { pass }\nlet t = tcp else { pass }\nif t.dport == 22 { drop }\npass",
      ["eth", "ipv4", "tcp", "l4_v4_only"],
    ],
    [
      "if let ip = ipv4 { if let u = udp { if u.sport == 53 { drop } } }\npass",
      ["eth", "ipv4", "udp", "l4_v4_only"],
    ],
    [
      "let ip6 = ipv6 else { pass }\nlet t = tcp else { pass }\nif t.dport == 22 { drop }\npass",
      ["eth", "ipv6", "tcp", "l4_v6_only"],
    ],
    // a read with no IP version known: L4 below both, as before
    ["let t = tcp else { pass }\nif t.dport == 22 { drop }\npass", ["eth", "tcp"]],
    [
      "if let ip = ipv4 { if ip.ttl == 1 { drop } }\nlet t = tcp else { pass }\nif t.dport == 22 { drop }\npass",
      ["eth", "ipv4", "tcp"],
    ],
    // the else-branch of `if let ipv4` and the code after a non-exiting branch know nothing
    [
      "if let ip = ipv4 { if ip.ttl == 1 { drop } } else { if let t = tcp { if t.dport == 22 { drop } } }\npass",
      ["eth", "ipv4", "tcp"],
    ],
    // a break also leaves: after `let … else { break }` in a loop the header is known
    [
      "for i in 0..2 { let ip = ipv4 else { break }\nif let t = tcp { if t.dport == 22 { drop } } }\npass",
      ["eth", "ipv4", "tcp", "l4_v4_only"],
    ],
    // ipv6 fields only: no extension-header walk; ipv6.proto needs it
    ["let ip6 = ipv6 else { pass }\nif ip6.hop == 1 { drop }\npass", ["eth", "ipv6"]],
    ["let ip6 = ipv6 else { pass }\nif ip6.proto == 17 { drop }\npass", ["eth", "ipv6", "ipv6_ext"]],
    ["if let ic = icmp { if ic.type == 8 { drop } }\npass", ["eth", "ipv4", "icmp", "l4_v4_only"]],
  ])("%s", (body, parse) => {
    expect(parseOf(body)).toEqual(parse);
  });

  test("a user header's extension reads under the IP versions the user header is read under", () => {
    const decls = "header vx { flags: u8, vni: u32 }\nparse udp.dport == 4789 => vx";
    expect(
      parseOf("let ip = ipv4 else { pass }\nlet v = vx else { pass }\nif v.vni == 7 { drop }\npass", decls),
    ).toEqual(["eth", "ipv4", "udp", "l4_v4_only"]);
    expect(parseOf("let v = vx else { pass }\nif v.vni == 7 { drop }\npass", decls)).toEqual(["eth", "udp"]);
    const after6 = "header ext { a: u16 }\nparse ipv6.proto == 253 => ext";
    expect(parseOf("let e = ext else { pass }\nif e.a == 1 { drop }\npass", after6)).toEqual([
      "eth",
      "ipv6",
      "ipv6_ext",
    ]);
  });
});

describe("const-fold", () => {
  test("folds constant conditions and drops dead branches (and their headers)", () => {
    const p = program({
      name: "p",
      handler: [
        ifS(bin("&&", blit(false), bin("==", hfield("ipv4", "ttl", U8), lit(1, U8))), [verdict("drop")]),
        verdict("pass"),
      ],
    });
    const ir = runPasses(lowerProgram(p).ir!).ir;
    expect(ir.handler.body).toHaveLength(1);
    expect(ir.handler.body[0]).toMatchObject({ kind: "return", value: { name: "XDP_PASS" } });
    expect(ir.handler.parse).toEqual([]);
  });

  test("folds arithmetic with the result type's wrap", () => {
    const p = program({
      name: "p",
      handler: [letS(sym("x", U8), bin("+", lit(200, U8), lit(100, U8))), verdict("pass")],
    });
    const ir = constFold.run(lowerProgram(p).ir!, []);
    expect(ir.handler.body[0]).toMatchObject({ kind: "decl", init: { kind: "int", value: 44n } });
  });
});

describe("counter-hoist", () => {
  test("one lookup in the prologue when a counter is used", () => {
    const c = generate(heavyHitter()).c!;
    expect(c.match(/bpf_map_lookup_elem\(&nf_counters/g)).toHaveLength(1);
    expect(c).toContain("nf_cnt->dropped += 1;");
  });

  test("no lookup when no counter is incremented", () => {
    const p = program({
      name: "p",
      counters: [{ name: "never", index: 0, span: sp() }],
      handler: [verdict("pass")],
    });
    const r = generate(p);
    expect(r.c).not.toContain("bpf_map_lookup_elem");
    expect(r.manifest?.counters).toEqual([{ name: "never", offset: 0, map: "counters" }]);
  });

  test("increments in nested blocks are rewritten", () => {
    const p = program({
      name: "p",
      counters: [{ name: "a", index: 0, span: sp() }],
      handler: [ifS(blit(true), [counterInc("a")]), verdict("pass")],
    });
    const ir = runPasses(lowerProgram(p).ir!).ir;
    let left = 0;
    visit(ir.handler.body, (s) => {
      if (s.kind === "counter") left++;
    });
    expect(left).toBe(0);
  });
});

describe("const-fold: comparisons decided by the value's range (clang -Wtautological-*)", () => {
  const c = (cond: string) =>
    generate(
      checkSource(
        `nf p on xdp\ncounter k\non packet {\n let ip = ipv4 else { pass }\n let t = ip.ttl\n let n = pkt_len()\n if ${cond} { k += 1 }\n pass\n}\n`,
        "p.nf",
      ).program!,
    ).c!;
  const folded = (cond: string, to: boolean) => {
    const out = c(cond);
    expect(out, cond).not.toMatch(/\bif \((?!!nf_h\.ipv4|!nf_cnt)/); // only the prologue's tests are left
    expect(out.includes("cnt->k += 1"), cond).toBe(to);
  };
  test.each([
    ["t <= 255", true],
    ["t < 0", false],
    ["0 > n", false],
    ["n >= 0", true],
    ["n > 5 || n < 10", true],
    ["n == 1 && n == 2", false],
    ["n < 3 && n > 7", false],
    ["n != 3 || n != 4", true],
    ["(t as u32) < 256", true],
  ] as const)("%s folds to %s", (cond, to) => folded(cond, to));
  test("comparisons that depend on the value stay, and so do pairs over different values", () => {
    expect(c("n > 5 || n < 3")).toMatch(/if \(\(n(?:_\d+)? > 5U\) \|\| \(n(?:_\d+)? < 3U\)\)/);
    expect(c("t > 5 || n < 10")).toMatch(/if \(\(t(?:_\d+)? > 5\) \|\| \(n(?:_\d+)? < 10U\)\)/);
    expect(c("t == 1 || t != 2")).toMatch(/if \(\(t(?:_\d+)? == 1\) \|\| \(t(?:_\d+)? != 2\)\)/);
  });
});

describe("loop-once", () => {
  const c = (body: string) =>
    generate(checkSource(`nf p on xdp\non packet {\n${body}\n}\n`, "p.nf").program!).c!;
  test("a loop whose body always returns runs once, as a block: every path of the C returns", () => {
    const out = c("for i in 3..9 { if pkt_len() > i { drop } else { pass } }");
    expect(out).not.toMatch(/for \(/);
    expect(out).toMatch(/\{\n\t\t__u32 i(?:_\d+)? = 3;\n/);
  });
  test("a loop that may finish an iteration or break stays a loop; nested breaks do not count", () => {
    expect(c("for i in 0..4 { if pkt_len() > i { break } drop }\npass")).toMatch(
      /for \(__u32 i(?:_\d+)? = 0; i(?:_\d+)? < 4; i(?:_\d+)?\+\+\) \{\n\t\tnf_loop_var\(i(?:_\d+)?\);/,
    );
    expect(c("for i in 0..4 { if pkt_len() > i { drop } }\npass")).toMatch(/for \(/);
    const nested = c("repeat 2 { for j in 0..3 { if pkt_len() == j { break } }\n drop }");
    expect(nested.match(/for \(/g)).toHaveLength(1); // the inner loop stays, the outer runs once
  });
  test("a break made dead by an inner loop run once does not survive outside any C loop (F20)", () => {
    // the inner `for` always returns: it becomes a block, the `break` after it never runs, and the
    // outer loop (no reachable break) becomes a block too; clang rejects a `break` outside a loop
    const out = c("for i in 0..2 {\n if pkt_len() > 5 { for j in 0..1 { drop }\n break }\n drop\n}");
    expect(out).not.toMatch(/for \(/);
    expect(out).not.toMatch(/\bbreak;/);
  });
});

describe("value-hoist", () => {
  const src = (q: string) => `nf p on xdp
queue q: ${q}
on packet {
  if !q.push(7) { drop }
  if q.len() > 3 { if let x = q.pop() { if x == 1 { drop } } }
  pass
}
`;
  test("a one-value structure used three times is looked up once, in the prologue", () => {
    const c = generate(checkSource(src("fifo<u32>(capacity = 8)"), "p.nf").program!).c!;
    expect(c.match(/bpf_map_lookup_elem\(&q\b/g)).toHaveLength(1);
    expect(c.match(/\(struct nf_q_fifo \*\)nf_q_val;/g)).toHaveLength(3);
    expect(c).toMatch(
      /void \*nf_q_val = bpf_map_lookup_elem\(&q, &nf_q_key\);\n\tif \(!nf_q_val\) \{\n\t\treturn XDP_PASS;/,
    );
  });

  test("maps of many entries (a count-min of 32 chunks) keep their own lookups", () => {
    const c = generate(heavyHitter()).c!;
    expect(c).not.toContain("_val = bpf_map_lookup_elem");
  });
});

describe("stack-budget", () => {
  test("moves the largest aggregates to a per-CPU scratch map when over budget", () => {
    const base = lowerProgram(program({ name: "p", handler: [verdict("pass")] })).ir!;
    const big = bytesStruct(100);
    const body = [0, 1, 2].map((i) => decl(`big_${i}`, big, sp(), undefined, true));
    const ir = {
      ...base,
      handler: {
        ...base.handler,
        body: [...body, decl("small", C_U32, sp(), int(1, C_U32, sp())), ...base.handler.body],
      },
    };
    expect(estimateStack(ir).bytes).toBeGreaterThan(STACK_LIMIT - STACK_RESERVE);
    const out = stackBudget.run(ir, []);
    expect(estimateStack(out).bytes).toBeLessThanOrEqual(STACK_LIMIT - STACK_RESERVE + 16); // + the scratch pointer and key
    expect(out.maps.map((m) => [m.name, m.mapType, m.maxEntries])).toContainEqual([
      "scratch",
      "BPF_MAP_TYPE_PERCPU_ARRAY",
      1,
    ]);
    const moved = out.structs.find((s) => s.name === "nf_scratch")!.fields.map((f) => f.name);
    expect(moved.length).toBeGreaterThanOrEqual(1);
    expect(moved).not.toContain("small");
  });

  test("leaves programs within budget alone", () => {
    const ir = runPasses(lowerProgram(heavyHitter()).ir!).ir;
    expect(ir.maps.some((m) => m.name === "scratch")).toBe(false);
  });
});

describe("dead-locals and self-comparisons (found by test/fuzz)", () => {
  const compileC = async (body: string) => {
    const { compile } = await import("../api.js");
    const r = await compile(
      {
        file: "d.nf",
        source: `nf d on xdp\ntable t: hash<u32, u32>(capacity = 8)\non packet {\n${body}\n  pass\n}\n`,
      },
      { emitObject: false },
    );
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    return r.c!;
  };

  test("an unread local disappears, but the map operation in its initialiser stays", async () => {
    const c = await compileC("  let unused = t.contains(7)\n  var acc: u32 = 1\n  acc += 2");
    expect(c).not.toMatch(/nf_unused(?:_\d+)?/);
    expect(c).not.toMatch(/acc(?:_\d+)?/);
    expect(c).toMatch(/bpf_map_lookup_elem\(&t, &nf_key(?:_\d+)?\)/);
  });

  test("`x == x` folds to true and `x < x` to false when x has no effects", async () => {
    const c = await compileC("  var x: u32 = 3\n  if x == x { t.insert(1, x) }\n  if x < x { drop }");
    expect(c).not.toMatch(/x(?:_\d+)? == x(?:_\d+)?/);
    expect(c).not.toContain("return XDP_DROP");
    expect(c).toContain("bpf_map_update_elem(&t");
  });

  test("pkt_len() never passes a context field's address to a helper", async () => {
    const { compile } = await import("../api.js");
    const r = await compile(
      {
        file: "l.nf",
        source:
          "nf l on tc\ntable t: hash<u32, u32>(capacity = 8)\non packet {\n  t.insert(1, pkt_len())\n  pass\n}\n",
      },
      { emitObject: false },
    );
    expect(r.c).not.toContain("&ctx->len");
    const x = await compile(
      {
        file: "x.nf",
        source:
          "nf x on xdp\ntable t: hash<u32, u32>(capacity = 8)\non packet {\n  t.insert(1, ~pkt_len())\n  pass\n}\n",
      },
      { emitObject: false },
    );
    expect(x.c).toContain("bpf_xdp_get_buff_len(ctx)");
  });
});

describe("const-fold identities (found by test/fuzz)", () => {
  const cOf = async (body: string) => {
    const { compile } = await import("../api.js");
    const r = await compile(
      { file: "a.nf", source: `nf a on xdp\ncounter n\non packet {\n${body}\n  pass\n}\n` },
      { emitObject: false },
    );
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    return r.c!.slice(r.c!.indexOf('SEC("xdp")'));
  };

  test("`(x & 0) == c` and `(x & 0xf) == 0x10` fold to false; `!=` to true", async () => {
    const c = await cOf(
      "  if (now_ns() & 0) == 4561 { drop }\n  if (pkt_len() & 0x0f) == 0x10 { drop }\n  if (pkt_len() & 0x0f) != 0x10 { n += 1 }",
    );
    expect(c).not.toContain("XDP_DROP");
    expect(c).not.toContain("& 0ULL");
    expect(c).toMatch(/nf_cnt->n \+= 1/);
    expect(c).not.toMatch(/if \(.*0x10|if \(.*16U/);
  });

  test("`a && false` folds away only when `a` has no effect", async () => {
    const c = await cOf("  if pkt_len() > 3 && false { drop }");
    expect(c).not.toContain("XDP_DROP");
  });
});

describe("hash-cse", () => {
  const cOf = async (body: string) => {
    const { compile } = await import("../api.js");
    const src = `nf h on xdp\nsketch s: count_min<u32>(rows = 4, width = 1024)\nsketch b: bloom<u32>(bits = 1024, hashes = 3)\non packet {\n${body}\n  pass\n}\n`;
    const r = await compile({ file: "h.nf", source: src }, { emitObject: false });
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    return r.c!;
  };
  const hashes = (c: string) =>
    (c.match(/nf_hash64\(/g) ?? []).length - (c.match(/#define nf_hash64/g) ?? []).length;

  test("add then estimate of the same unchanged key hashes it once", async () => {
    const c = await cOf("  let k = pkt_len()\n  s.add(k, 1)\n  if s.estimate(k) > 3 { drop }");
    expect(hashes(c)).toBe(1);
  });

  test("a key written in between is hashed again", async () => {
    const c = await cOf("  var k = pkt_len()\n  s.add(k, 1)\n  k += 1\n  if s.estimate(k) > 3 { drop }");
    expect(hashes(c)).toBe(2);
  });

  test("different seeds (another structure) are not shared", async () => {
    const c = await cOf("  let k = pkt_len()\n  s.add(k, 1)\n  b.insert(k)");
    expect(hashes(c)).toBe(2);
  });

  test("a hash before a loop is not reused inside it when the loop writes the key", async () => {
    const c = await cOf(
      "  var k = pkt_len()\n  s.add(k, 1)\n  for i in 0..4 {\n    if s.estimate(k) > 3 { drop }\n    k += i\n  }",
    );
    expect(hashes(c)).toBe(2);
  });
});
