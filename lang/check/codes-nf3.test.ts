// One test per NF3xxx code (NF semantics): the code, its exact span, and no internal error.
import { describe, expect, test } from "vitest";
import { catalogue } from "../diagnostics/catalogue.js";
import { body, expectOnly as only, H, plain, runMarked } from "./test-util.js";

const expectOnly = (code: string, src: string): void => only(expect, code, src);

const NF3_CASES: [string, string][] = [
  ["NF3001", body("if ⟦tcp⟧.dport == 22 { drop }")],
  ["NF3002", plain("let f = ⟦flow5()⟧\n  pass")],
  ["NF3003", plain("if pkt_len() > 1500 { drop }\n⟦}⟧").replace(/\n}\n$/, "\n")],
  ["NF3004", plain("let ip = ipv4 else { dropped += 1 ⟦}⟧\n  pass")],
  ["NF3006", body("if pkt_len() > 3 { ⟦break⟧ }")],
  ["NF3007", body("if ⟦dropped⟧ > 100 { drop }")],
  ["NF3008", body("dropped ⟦=⟧ 0")],
  ["NF3009", body("let n: u32 = 0\n  ⟦n⟧ += 1")],
  ["NF3010", body("ip.⟦csum⟧ = 0")],
  ["NF3011", body("⟦limit⟧ = 5", "config limit: u32 = 10\n")],
  ["NF3012", "nf ⟦t⟧ on xdp\ncounter c\n"],
  ["NF3013", `${H}on packet { pass }\non ⟦packet⟧ { drop }\n`],
  ["NF3015", body("let n = ⟦counts.get(1)⟧ + 1", "table counts: array<u32, u64>(capacity = 16)\n")],
  ["NF3016", plain("⟦let ip = ipv4⟧\n  pass")],
  ["NF3017", body("let n = ⟦pkt_len()⟧ else { pass }")],
  ["NF3018", body("routes.⟦insert⟧(ip.dst, 1)", "table routes: lpm<ip4, u32>(capacity = 1024)\n")],
  ["NF3019", body("let h = hash(⟦ip⟧)")],
  ["NF3020", body("match ip.ttl { ⟦10..10⟧ => { drop } _ => { pass } }")],
  ["NF3021", `${H}on packet { pass }\ntest "t" { packet ipv4() / ⟦foo()⟧ }\n`.replace("⟦foo()⟧", "⟦foo⟧()")],
  ["NF3022", `${H}on packet { pass }\ntest "t" { packet udp(⟦srcport⟧ = 1) }\n`],
  ["NF3023", `${H}on packet { pass }\ntest "t" { expect ⟦now_ns()⟧ > 0 }\n`],
  ["NF3024", `${H}on packet { pass }\ntest "t" { repeat ⟦200000⟧ { packet udp() } }\n`],
  ["NF3040", body("emit blocked { src = ip.src } every ⟦0⟧", "event blocked { src: ip4 }\n")],
  [
    "NF3041",
    body("emit big { data = 0 }", "event ⟦big⟧ { data: bytes[600] }\n").replace("emit big { data = 0 }", ""),
  ],
  ["NF3025", `${H}on packet {\n  ⟦set_tstamp⟧(1)\n  pass\n}\n`],
  [
    "NF3030",
    `${H}${deepTypes(40).replace("type T7 ", "type ⟦T7⟧ ")}table t: hash<u32, T0>(capacity = 4)\non packet { pass }\n`,
  ],
  [
    "NF3031",
    `${H}on packet { pass }\ntest "t" {\n  packet udp()\n  ⟦repeat 1000 { repeat 1000 { packet udp() } }⟧\n}\n`,
  ],
  ["NF3070", `${H}sketch seen: bloom<ip4>(bits = 1024, hashes = 3, ⟦export⟧)\non packet { pass }\n`],
  ["NF3071", `${H}sketch top: topk<ip4>(k = 8, export = ⟦10.0.0.1⟧)\non packet { pass }\n`],
  ["NF3072", `${H}sketch hits: count_min<ip4>(rows = 4, width = 1024, ⟦export⟧)\non packet { pass }\n`],
  ["NF3073", `${H}sketch hits: count_min<ip4>(rows = 4, width = 1024, export = ⟦80⟧)\non packet { pass }\n`],
  [
    "NF3074",
    `${H}sketch hits: count_min<u16>(rows = 4, width = 1024, export = 80, ⟦export = 80⟧)\non packet { pass }\n`,
  ],
  ["NF3050", body("if ⟦payload⟧.len() > 0 { drop }")],
  ["NF3051", body("let u = udp else { pass }\n  if payload.⟦length⟧() > 0 { drop }")],
  ["NF3052", body('let u = udp else { pass }\n  if payload.starts_with(⟦""⟧) { drop }')],
  ["NF3053", body("let u = udp else { pass }\n  let k = ⟦payload.slice(0, 8)⟧")],
  ["NF3054", body("let t = tcp else { pass }\n  payload.⟦resize⟧(10)")],
];

/** `type T0 { a: T1 }` ... `type T<n-1> { a: u32 }`: n levels of user types. */
function deepTypes(n: number): string {
  return Array.from({ length: n }, (_, i) => `type T${i} { a: ${i + 1 < n ? `T${i + 1}` : "u32"} }\n`).join(
    "",
  );
}

describe("NF3xxx: NF semantics", () => {
  for (const [code, src] of NF3_CASES)
    test(`${code} ${catalogue[code as keyof typeof catalogue].title}`, () => expectOnly(code, src));

  test("NF3005 unreachable code is a warning and the program still checks", () => {
    const r = runMarked(body("drop\n  ⟦dropped += 1⟧"));
    expect(r.errorCodes).toEqual([]);
    expect(r.diagnostics.map((d) => [d.code, d.severity])).toEqual([["NF3005", "warning"]]);
    expect(r.at("NF3005")).toEqual({ line: r.m.line, col: r.m.col, len: r.m.len });
    expect(r.ok).toBe(true);
  });

  test("every NF3 code in the catalogue has a case", () => {
    const defined = Object.keys(catalogue).filter((c) => c.startsWith("NF3"));
    expect([...NF3_CASES.map(([c]) => c), "NF3005"].sort()).toEqual(defined.sort());
  });

  test("NF3030: 32 levels of user types are fine; 5000 give one NF3030, no internal error", () => {
    const ok = runMarked(`${H}${deepTypes(32)}table t: hash<u32, ⟦T0⟧>(capacity = 4)\non packet { pass }\n`);
    expect(ok.errorCodes).toEqual([]);
    const huge = runMarked(
      `${H}${deepTypes(5000)}table t: hash<u32, ⟦T0⟧>(capacity = 4)\non packet { pass }\n`,
    );
    expect(huge.errorCodes).toEqual(["NF3030"]);
    expect(huge.diagnostics[0]?.span?.line).toBe(2 + 5000 - 33);
  });

  test("NF3031: repeats in a row add up; a test within the limit is fine", () => {
    expectOnly(
      "NF3031",
      `${H}on packet { pass }\ntest ⟦"t"⟧ {\n${"  repeat 60000 { packet udp() }\n".repeat(2)}}\n`,
    );
    const ok = runMarked(
      `${H}on packet { pass }\ntest ⟦"t"⟧ {\n  repeat 1000 { repeat 100 { packet udp() } }\n}\n`,
    );
    expect(ok.errorCodes).toEqual([]);
  });

  test("NF3001: proving tcp does not prove ipv4", () => {
    expectOnly("NF3001", plain("let t = tcp else { pass }\n  if ⟦ipv4⟧.ttl == 1 { drop }\n  pass"));
  });

  test("NF3001: if-let narrows only the then-branch", () => {
    expectOnly(
      "NF3001",
      body("if let t = tcp { if t.dport == 22 { drop } } else { if ⟦tcp⟧.sport == 1 { drop } }"),
    );
  });

  test("NF3001: narrowing inside a block ends with the block", () => {
    expectOnly(
      "NF3001",
      plain("if pkt_len() > 60 { let u = udp else { pass } }\n  if ⟦udp⟧.dport == 53 { drop }\n  pass"),
    );
  });

  test("NF3001 help names the binding to add", () => {
    const r = runMarked(body("if ⟦tcp⟧.dport == 22 { drop }"));
    expect(r.diagnostics[0]?.help).toBe("bind it first: `let t = tcp else { pass }`");
    expect(r.diagnostics[0]?.message).toBe("header `tcp` may be absent here");
  });

  test("NF3010: ipv6.proto and ipv4.ihl are read-only", () => {
    expectOnly("NF3010", plain("let v6 = ipv6 else { pass }\n  v6.⟦proto⟧ = 6\n  pass"));
    expectOnly("NF3010", body("ipv4.⟦ihl⟧ = 5"));
  });

  test("NF3011: constants cannot be assigned", () => {
    expectOnly("NF3011", body("⟦K⟧ = 5", "const K: u32 = 1\n"));
  });

  test("NF3003: a match without `_` may fall through", () => {
    expectOnly(
      "NF3003",
      plain("match pkt_len() { 1 => { drop } 2 => { pass } }\n⟦}⟧").replace(/\n}\n$/, "\n"),
    );
  });

  test("a loop whose body always ends in a verdict ends the handler", () => {
    const r = runMarked(plain("repeat 2 { ⟦drop⟧ }"));
    expect(r.errorCodes).toEqual([]);
  });

  test("break leaves the loop, so code after it in the loop is unreachable", () => {
    const r = runMarked(body("for i in 0..4 { break\n  ⟦dropped += 1⟧ }"));
    expect(r.diagnostics.map((d) => d.code)).toEqual(["NF3005"]);
    expect(r.at("NF3005")).toEqual({ line: r.m.line, col: r.m.col, len: r.m.len });
  });
});
