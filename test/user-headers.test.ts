// User headers as a class: chains of 1..4 user headers (`parse h1.c == 2 => h2` …), with a back
// edge (a cycle) and a self edge, every field type at shifting (odd) offsets, reads, writes,
// computed and constant indices into bytes fields, equality, keys and hashes of every field.
// Each program is built with -Werror, loaded, and run through the differential engine (the
// packet generator follows the chains): zero differences from the interpreter.
import { describe, expect, test } from "vitest";
import { runDifferential } from "../compiler/difftest/engine.js";
import { requireKernel } from "../compiler/kernel/testing.js";
import { checkSource } from "../lang/index.js";

/** Fields after the leading `p: u8`, rotated per header so that each type sits at several offsets. */
const FIELDS = ["c: u16", "w: u32", "q: u64", "a4: ip4", "a6: ip6", "m: mac", "b1: bytes[1]", "b3: bytes[3]"];

function headerDecl(i: number): string {
  const rot = [...FIELDS.slice(i % FIELDS.length), ...FIELDS.slice(0, i % FIELDS.length)];
  return `header h${i} { p: u8, ${rot.join(", ")} }`;
}

export function userHeaderProgram(n: number, shape: "chain" | "cycle" | "self"): string {
  const heads = Array.from({ length: n }, (_, i) => headerDecl(i + 1));
  const parses = ["parse udp.dport == 4789 => h1"];
  for (let i = 2; i <= n; i++) parses.push(`parse h${i - 1}.c == ${i} => h${i}`);
  if (shape === "cycle") parses.push(`parse h${n}.c == 9 => h1`, "parse udp.sport == 53 => h" + n);
  if (shape === "self") parses.push("parse h1.c == 7 => h1");
  const reads = Array.from(
    { length: n - 1 },
    (_, i) => `  if let y = h${i + 1} { if y.q == 5 || y.b3[1] == 2 { inner += 1 } }`,
  );
  return `nf uh_${shape}_${n} on xdp
${heads.join("\n")}
${parses.join("\n")}
table t6: hash<ip6, u32>(capacity = 64)
table tm: hash<mac, u32>(capacity = 64)
table tb: hash<bytes[3], u32>(capacity = 64)
counter inner, eq, hits
on packet {
${reads.join("\n")}
  let x = h${n} else { pass }
  let i = x.p & 3
  if x.b3[i] == 1 { eq += 1 }
  x.b3[i] = x.p
  x.b3[1] += 1
  x.b1[0] = x.b3[2]
  x.c = x.c + 1
  x.w += 3
  x.q = x.q + x.w as u64
  if t6.contains(x.a6) || tm.contains(x.m) || tb.contains(x.b3) { hits += 1 }
  if hash(x.a6) % 4 == 1 { drop }
  if x.a4 == 10.0.0.1 { drop }
  if x.m == 02:00:00:00:00:01 { drop }
  if x.w > 100000 { tx }
  pass
}
`;
}

const CASES: Array<[number, "chain" | "cycle" | "self"]> = [
  [1, "chain"],
  [2, "chain"],
  [3, "chain"],
  [4, "chain"],
  [2, "cycle"],
  [3, "cycle"],
  [1, "self"],
  [3, "self"],
];

describe("user header programs check", () => {
  test.each(CASES)("chain of %i (%s) is accepted", (n, shape) => {
    const r = checkSource(userHeaderProgram(n, shape), "uh.nf");
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  });
});

describe.runIf(requireKernel())("user header programs: -Werror, verifier, interpreter = kernel", () => {
  test.each(CASES)(
    "chain of %i (%s)",
    async (n, shape) => {
      const r = await runDifferential(`uh_${shape}_${n}.nf`, userHeaderProgram(n, shape), {
        packets: 1500,
        seed: n,
      });
      expect(r.diagnostics).toEqual([]);
      expect(r.details).toEqual([]);
      expect(r.differences).toBe(0);
      expect(r.packets).toBe(1500);
      // the chain was followed: drop and tx happen only once the last header is present
      expect((r.verdicts.drop ?? 0) + (r.verdicts.tx ?? 0)).toBeGreaterThan(10);
    },
    120_000,
  );

  // a chain may start after every built-in header (cursor l2_end / l3_end / l4_end)
  test.each([
    "eth.type == 0x88b5",
    "vlan.type == 0x88b5",
    "vlan_inner.tci == 5",
    "ipv4.proto == 253",
    "ipv6.proto == 253",
    "tcp.dport == 9",
    "icmp.type == 8",
    "icmpv6.type == 128",
  ])(
    "a chain after `%s`",
    async (cond) => {
      const src = `nf pos on xdp
header a { p: u8, c: u16, v: bytes[3], s: ip6 }
header b { q: u32 }
parse ${cond} => a
parse a.c == 2 => b
on packet {
  let x = a else { pass }
  x.v[x.p & 3] = 1
  if let y = b { if y.q == 1 { drop } }
  if x.c == 3 { drop }
  pass
}
`;
      const r = await runDifferential("pos.nf", src, { packets: 400 });
      expect(r.diagnostics).toEqual([]);
      expect(r.details).toEqual([]);
      expect(r.differences).toBe(0);
    },
    120_000,
  );

  test("a user header that no extension parses is never present (FINDINGS F11)", async () => {
    const src = `nf p2 on xdp
header x { a: u8, b: u16 }
header y { c: u32 }
parse udp.dport == 4789 => y
counter n
on packet {
  if let v = y { if v.c == 1 { n += 1 } }
  let h = x else { pass }
  if h.b == 3 { h.a = 2 }
  drop
}
`;
    const r = await runDifferential("p2.nf", src, { packets: 500 });
    expect(r.diagnostics).toEqual([]);
    expect(r.differences).toBe(0);
    expect(r.verdicts).toEqual({ pass: 500 });
  }, 120_000);
});
