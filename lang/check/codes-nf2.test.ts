// One test per NF2xxx code: the code, its exact span, and no internal error or cascade.
import { describe, expect, test } from "vitest";
import { catalogue } from "../diagnostics/catalogue.js";
import { body, expectOnly as only, H, runMarked } from "./test-util.js";

const expectOnly = (code: string, src: string): void => only(expect, code, src);

const NF2_CASES: [string, string][] = [
  ["NF2001", body("if ⟦foo⟧ > 1 { drop }")],
  ["NF2002", `${H}counter a\ncounter ⟦a⟧\non packet { pass }\n`],
  ["NF2003", `${H}config c: ⟦u23⟧ = 5\non packet { pass }\n`],
  ["NF2004", body("if ⟦blocked⟧ { drop }")],
  ["NF2005", body("let t = ⟦time_ns⟧()")],
  ["NF2006", body("let f = flow5()\n  flows.⟦increment⟧(f)")],
  ["NF2007", body("⟦blocked.insert(ip.src)⟧")],
  ["NF2008", body("let a: ip4 = ⟦10⟧")],
  ["NF2009", body("var ttl: u8 = ⟦300⟧")],
  ["NF2010", body("let b = ⟦true as u8⟧")],
  ["NF2011", body("if ip.src ⟦>⟧ 10.0.0.0 { drop }")],
  ["NF2012", body("for i in 0..⟦pkt_len()⟧ { }")],
  ["NF2013", `${H}const B: u32 = 2\nconfig c: u32 = ⟦B * 2⟧\non packet { pass }\n`],
  ["NF2014", body("if ip.⟦source⟧ == 10.0.0.1 { drop }")],
  ["NF2015", `${H}config c: ⟦bytes[4]⟧ = 1\non packet { pass }\n`],
  ["NF2016", `${H}header vx { ok: ⟦bool⟧ }\non packet { pass }\n`],
  ["NF2017", `${H}table t: ⟦hashmap⟧<ip4, u64>(capacity = 1024)\non packet { pass }\n`],
  ["NF2018", `${H}table f: ⟦count_min⟧<flow5>(rows = 4, width = 1024)\non packet { pass }\n`],
  ["NF2019", `${H}table t: ⟦hash<ip4⟧>(capacity = 64)\non packet { pass }\n`],
  ["NF2020", `${H}table r: lpm<⟦u32⟧, u32>(capacity = 1024)\non packet { pass }\n`],
  ["NF2021", `${H}table t: hash<ip4, u64>(⟦size⟧ = 64)\non packet { pass }\n`],
  ["NF2022", `${H}table t: hash<ip4, u64>(capacity = 64, ⟦capacity⟧ = 128)\non packet { pass }\n`],
  ["NF2023", `${H}sketch ⟦s⟧: count_min<flow5>(rows = 4)\non packet { pass }\n`],
  ["NF2024", `${H}table t: hash<ip4, u64>(capacity = 64, ⟦per_cpu = 1⟧)\non packet { pass }\n`],
  [
    "NF2025",
    `${H}sketch s: count_min<flow5>(rows = 4, width = 1024, ⟦epsilon⟧ = 0.01, delta = 0.01)\non packet { pass }\n`,
  ],
  ["NF2026", body("let k = ⟦K { a: 1 }⟧", "type K { a: u32, b: u32 }\n")],
  ["NF2027", `${H}const ⟦A⟧: u32 = B + 1\nconst B: u32 = A\non packet { pass }\n`],
  ["NF2028", `${H}header ⟦tcp⟧ { x: u8 }\non packet { pass }\n`],
  ["NF2030", body("let b = ⟦ip.src⟧[0]")],
  ["NF2031", `${H}parse ipv4.proto == 6 => ⟦tcp⟧\non packet { pass }\n`],
  ["NF2032", body("let f = flow5()\n  flows.add(⟦key⟧ = f)")],
  ["NF2033", body("let f = flow5()\n  let x = ⟦flows.add(f, 1)⟧")],
  ["NF2040", body("emit ⟦blockd⟧ { src = ip.src }", "event blocked { src: ip4 }\n")],
  ["NF2041", body("emit blocked { src = ip.src, ⟦srcport⟧ = 1 }", "event blocked { src: ip4 }\n")],
  ["NF2042", body("emit ⟦blocked⟧ { src = ip.src }", "event blocked { src: ip4, n: u32 }\n")],
  ["NF2043", body("emit blocked { src = ip.src, ⟦src⟧ = ip.dst }", "event blocked { src: ip4 }\n")],
  [
    "NF2050",
    body(
      "let v = vx else { pass }\n  let b = v.rsvd[⟦3⟧]",
      "header vx { flags: u8, rsvd: bytes[3] }\nparse udp.dport == 4789 => vx\n",
    ),
  ],
  ["NF2045", body("let u = udp else { pass }\n  payload.write(0, ⟦ip.src⟧)")],
  ["NF2046", body("let u = udp else { pass }\n  payload.write(0, 7 as u16, ⟦1⟧)")],
  ["NF2047", body('let k: bytes[2] = ⟦"abc"⟧')],
];

describe("NF2xxx: names and types", () => {
  for (const [code, src] of NF2_CASES)
    test(`${code} ${catalogue[code as keyof typeof catalogue].title}`, () => expectOnly(code, src));

  test("every NF2 code in the catalogue has a case", () => {
    const defined = Object.keys(catalogue).filter((c) => c.startsWith("NF2"));
    expect([...NF2_CASES.map(([c]) => c), "NF2044"].sort()).toEqual(defined.sort());
  });

  test("NF2044 an event never emitted is a warning and the program still checks", () => {
    const r = runMarked(body("", "event ⟦unused⟧ { src: ip4 }\n"));
    expect(r.ok).toBe(true);
    expect(r.diagnostics.map((d) => [d.code, d.severity])).toEqual([["NF2044", "warning"]]);
    expect(r.at("NF2044")).toEqual({ line: r.m.line, col: r.m.col, len: r.m.len });
  });

  test.each([
    ["a read of a local", "let v = vx else { pass }\n  var b = v.rsvd\n  let x = b[⟦3⟧]"],
    ["a write of a local", "let v = vx else { pass }\n  var b = v.rsvd\n  b[⟦9⟧] = 1"],
    ["a write of a header field", "let v = vx else { pass }\n  v.rsvd[⟦7⟧] = 1"],
    ["a named constant", "let v = vx else { pass }\n  let x = v.rsvd[⟦K⟧]"],
  ])("NF2050 on %s", (_what, stmts) => {
    expectOnly(
      "NF2050",
      body(
        stmts,
        "const K: u32 = 3\nheader vx { flags: u8, rsvd: bytes[3] }\nparse udp.dport == 4789 => vx\n",
      ),
    );
  });

  test("NF2001 suggests a close name", () => {
    const r = runMarked(body("if ⟦blocke⟧.contains(ip.src) { drop }"));
    expect(r.diagnostics[0]?.help).toBe("did you mean `blocked`?");
  });

  test("NF2002 points back to the first declaration", () => {
    const r = runMarked(`${H}counter ⟦a⟧\ncounter a\non packet { pass }\n`);
    const d = r.diagnostics.find((x) => x.code === "NF2002")!;
    expect(d.secondary.map((s) => [s.span.line, s.span.col, s.message])).toEqual([
      [r.m.line, r.m.col, "first declared here"],
    ]);
  });

  test("NF2006 suggests a close operation", () => {
    const r = runMarked(body("if blocked.⟦contain⟧(ip.src) { drop }"));
    expect(r.diagnostics.find((d) => d.code === "NF2006")?.help).toBe("did you mean `contains`?");
  });
});
