// Positive checks: the CheckedProgram the compiler and interpreter consume, for the spec's
// heavy_hitter program and for narrowing, conversions and derived structure parameters; plus the
// guarantee that a checker exception becomes NF9999 instead of a crash.
import { describe, expect, test } from "vitest";
import type { Program } from "../ast.js";
import type { TExpr, TStmt } from "../checked.js";
import { checkSource } from "../index.js";
import { noSpan } from "../span.js";
import { check } from "./index.js";

const HEAVY_HITTER = `// Block the sources of heavy flows.
nf heavy_hitter on xdp

config threshold: u32 = 10000

sketch flows:   count_min<flow5>(rows = 4, width = 65536)
table  blocked: hash<ip4, u64>(capacity = 65536)
counter dropped, passed

on packet {
  let ip = ipv4 else { pass }
  if blocked.contains(ip.src) { dropped += 1; drop }
  let f = flow5()
  flows.add(f, 1)
  if flows.estimate(f) > threshold { blocked.insert(ip.src, now_ns()); drop }
  passed += 1
  pass
}
`;

function ok(src: string) {
  const r = checkSource(src, "t.nf");
  expect(r.diagnostics.map((d) => `${d.code} ${d.span?.line}:${d.span?.col} ${d.message}`)).toEqual([]);
  return r.program!;
}

describe("heavy_hitter", () => {
  const p = ok(HEAVY_HITTER);

  test("declarations are resolved", () => {
    expect(p.name).toBe("heavy_hitter");
    expect(p.hook).toBe("xdp");
    expect(p.configs.map((c) => [c.name, c.ty, c.default])).toEqual([
      ["threshold", { kind: "int", bits: 32 }, { kind: "int", v: 10000n }],
    ]);
    expect(p.states.map((s) => [s.name, s.family, s.kind, s.params])).toEqual([
      ["flows", "sketch", "count_min", { rows: 4, width: 65536, per_cpu: false }],
      ["blocked", "table", "hash", { capacity: 65536, per_cpu: false, shared: false }],
    ]);
    expect(p.states[0]!.key).toMatchObject({ kind: "struct", name: "flow5", size: 16 });
    expect(p.states[1]!.value).toEqual({ kind: "int", bits: 64 });
    expect(p.counters.map((c) => [c.name, c.index])).toEqual([
      ["dropped", 0],
      ["passed", 1],
    ]);
  });

  test("usedHeaders: ipv4 and, for flow5's ports, tcp and udp over ipv4", () => {
    expect(p.usedHeaders).toEqual(["eth", "ipv4", "tcp", "udp"]);
  });

  test("the handler binds ipv4 and reads fields through it", () => {
    const [bind, ifBlocked] = p.handler as [TStmt & { kind: "bind" }, TStmt & { kind: "if" }];
    expect(bind.kind).toBe("bind");
    expect(bind.sym).toMatchObject({ name: "ip", binds: { kind: "header", header: "ipv4" }, mutable: false });
    expect(bind.else.map((s) => s.kind)).toEqual(["verdict"]);
    const cond = ifBlocked.cond as { kind: "expr"; expr: TExpr & { kind: "op" } };
    expect(cond.expr).toMatchObject({ kind: "op", state: "blocked", op: "contains", ty: { kind: "bool" } });
    expect(cond.expr.args[0]).toMatchObject({
      kind: "hfield",
      header: "ipv4",
      field: "src",
      ty: { kind: "ip4" },
    });
    expect(ifBlocked.then[0]).toMatchObject({
      kind: "assign",
      op: "+=",
      target: { kind: "counter", name: "dropped" },
      value: { kind: "lit", value: { kind: "int", v: 1n }, ty: { kind: "int", bits: 64 } },
    });
  });

  test("operation arguments are at the parameter types", () => {
    const add = (p.handler[3] as TStmt & { kind: "expr" }).expr as TExpr & { kind: "op" };
    expect(add.op).toBe("add");
    expect(add.args.map((a) => [a.kind, a.ty])).toEqual([
      ["local", p.states[0]!.key],
      ["lit", { kind: "int", bits: 32 }],
    ]);
    const est = (p.handler[4] as TStmt & { kind: "if" }).cond as {
      kind: "expr";
      expr: TExpr & { kind: "binary" };
    };
    expect(est.expr.left).toMatchObject({ kind: "op", op: "estimate", ty: { kind: "int", bits: 32 } });
    expect(est.expr.right).toMatchObject({ kind: "config", name: "threshold" });
  });

  test("stack estimate counts the binding and the flow5 local", () => {
    expect(p.stackBytes).toBe(8 + 16);
  });
});

describe("conversions are explicit", () => {
  test("mixed widths widen the narrower side with a cast", () => {
    const p = ok(
      `nf t on xdp\non packet {\n  let ip = ipv4 else { pass }\n  var a: u16 = 1\n  if a + ip.ttl > 3 { drop }\n  pass\n}\n`,
    );
    const cond = (p.handler[2] as TStmt & { kind: "if" }).cond as {
      kind: "expr";
      expr: TExpr & { kind: "binary" };
    };
    const sum = cond.expr.left as TExpr & { kind: "binary" };
    expect(sum.ty).toEqual({ kind: "int", bits: 16 });
    expect(sum.right).toMatchObject({
      kind: "cast",
      ty: { kind: "int", bits: 16 },
      expr: { kind: "hfield", field: "ttl", ty: { kind: "int", bits: 8 } },
    });
    expect(cond.expr.right).toMatchObject({ kind: "lit", ty: { kind: "int", bits: 16 } });
  });

  test("assignment values are converted to the target type; consts fold to literals", () => {
    const p = ok(`nf t on xdp\nconst K: u8 = 2 * 3\non packet {\n  var x: u64 = 0\n  x = K\n  pass\n}\n`);
    expect(p.consts).toEqual([
      { name: "K", ty: { kind: "int", bits: 8 }, value: { kind: "int", v: 6n }, span: expect.anything() },
    ]);
    expect(p.handler[1]).toMatchObject({
      kind: "assign",
      value: {
        kind: "cast",
        ty: { kind: "int", bits: 64 },
        expr: { kind: "lit", value: { kind: "int", v: 6n } },
      },
    });
  });

  test("ip4 as u32 is a cast; default operation arguments are filled in", () => {
    const p = ok(
      `nf t on xdp\nsketch s: count_min<u32>(epsilon = 0.001, delta = 0.01)\non packet {\n  let ip = ipv4 else { pass }\n  s.add(ip.src as u32)\n  pass\n}\n`,
    );
    const add = (p.handler[1] as TStmt & { kind: "expr" }).expr as TExpr & { kind: "op" };
    expect(add.args[0]).toMatchObject({
      kind: "cast",
      ty: { kind: "int", bits: 32 },
      expr: { kind: "hfield", ty: { kind: "ip4" } },
    });
    expect(add.args[1]).toMatchObject({
      kind: "lit",
      value: { kind: "int", v: 1n },
      ty: { kind: "int", bits: 32 },
    });
    expect(p.states[0]!.params).toEqual({ rows: 5, width: 4096, per_cpu: false });
  });
});

describe("narrowing and bindings", () => {
  test("if-let binds the header in the then-branch; get binds a writable reference", () => {
    const p = ok(`nf t on xdp
type Stats { packets: u64, bytes: u64 }
table stats: lru<ip4, Stats>(capacity = 1024, per_cpu)
on packet {
  let ip = ipv4 else { pass }
  if let t = tcp { if t.dport == 22 { drop } }
  let s = stats.get(ip.src) else { pass }
  s.packets += 1
  pass
}
`);
    const ifLet = p.handler[1] as TStmt & { kind: "if" };
    expect(ifLet.cond).toMatchObject({
      kind: "bind",
      sym: { name: "t", binds: { kind: "header", header: "tcp" } },
      source: { kind: "header", header: "tcp" },
    });
    const get = p.handler[2] as TStmt & { kind: "bind" };
    expect(get.sym).toMatchObject({
      name: "s",
      binds: { kind: "value" },
      ty: { kind: "ref", inner: { kind: "struct", name: "Stats" } },
    });
    expect(p.handler[3]).toMatchObject({
      kind: "assign",
      target: { kind: "field", field: "packets", base: { kind: "local", sym: { name: "s" } } },
    });
    expect(p.states[0]!.params).toEqual({ capacity: 1024, per_cpu: true, shared: false });
    expect(p.usedHeaders).toEqual(["eth", "ipv4", "ipv6", "tcp"]); // tcp may follow either IP version
  });

  test("user headers: wire layout, parse extension, prerequisites", () => {
    const p = ok(`nf t on xdp
header vxlan { flags: u8, rsvd: bytes[3], vni: u32 }
parse udp.dport == 4789 => vxlan
on packet {
  let v = vxlan else { pass }
  if v.vni == 42 { drop }
  pass
}
`);
    expect(p.headers).toEqual([
      {
        name: "vxlan",
        size: 8,
        builtin: false,
        fields: [
          { name: "flags", ty: { kind: "int", bits: 8 }, offset: 0, writable: true, csum: "none" },
          { name: "rsvd", ty: { kind: "bytes", len: 3 }, offset: 1, writable: true, csum: "none" },
          { name: "vni", ty: { kind: "int", bits: 32 }, offset: 4, writable: true, csum: "none" },
        ],
      },
    ]);
    expect(p.parseExts).toMatchObject([
      { after: "udp", field: "dport", value: { kind: "int", v: 4789n }, header: "vxlan" },
    ]);
    expect(p.usedHeaders).toEqual(["eth", "ipv4", "ipv6", "udp", "vxlan"]);
  });

  test("loops, match and bloom sizing from capacity/fp", () => {
    const p = ok(`nf t on tc
const N: u32 = 4
sketch seen: bloom<ip4>(capacity = 1000, fp = 0.01)
on packet {
  var acc: u32 = 0
  for i in 0..N { acc += i }
  match acc { 0 => { pass } 1..4 => { drop } _ => { pass } }
}
`);
    expect(p.handler[1]).toMatchObject({
      kind: "for",
      lo: 0n,
      hi: 4n,
      sym: { name: "i", ty: { kind: "int", bits: 32 } },
    });
    expect((p.handler[2] as TStmt & { kind: "match" }).arms.map((a) => a.patterns)).toEqual([
      [{ kind: "value", value: 0n }],
      [{ kind: "range", lo: 1n, hi: 4n }],
      [{ kind: "wildcard" }],
    ]);
    expect(p.states[0]!.params).toEqual({ bits: 16384, hashes: 11, per_cpu: false });
  });
});

describe("internal errors", () => {
  test("an exception inside the checker becomes NF9999, not a crash", () => {
    const s = noSpan("bad.nf");
    const program = {
      file: "bad.nf",
      name: { name: "bad", span: s },
      hook: "xdp",
      hookSpan: s,
      decls: [{ kind: "bogus", span: s }],
      span: s,
    } as unknown as Program;
    const r = check(program);
    expect(r.program).toBeUndefined();
    expect(r.diagnostics.map((d) => d.code)).toEqual(["NF9999"]);
    expect(r.diagnostics[0]!.message).toContain("unexpected declaration kind");
  });
});

describe("min/max of literals take the context's type", () => {
  test("a u16 table key accepts `min(1650, 737) ^ (2643 - 34)`", () => {
    const src =
      "nf m on xdp\ntable t: hash<u16, u8>(capacity = 8)\non packet {\n  t.update(min(1650, 737) ^ (2643 - 34), 1)\n  pass\n}\n";
    const r = checkSource(src, "m.nf");
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const stmt = r.program!.handler[0]!;
    expect(stmt.kind === "expr" && stmt.expr.kind === "op" && stmt.expr.args[0]!.ty).toEqual({
      kind: "int",
      bits: 16,
    });
  });
  test("a literal that does not fit the context still fails with NF2009", () => {
    const src =
      "nf m on xdp\ntable t: hash<u8, u8>(capacity = 8)\non packet {\n  t.update(max(300, 1), 1)\n  pass\n}\n";
    const r = checkSource(src, "m.nf");
    expect(r.diagnostics.map((d) => [d.code, d.span?.line, d.span?.col])).toContainEqual(["NF2009", 4, 16]);
  });
});
