// map-limits: NF4200 (maps per program), NF4201 (value size per map type), NF4202 (program memory),
// each with its code and the span of the declaration that crosses the limit.
import { describe, expect, test } from "vitest";
import { unmark } from "../../lang/check/test-util.js";
import { manyMaps } from "../../test/resource-programs.js";
import { compile } from "../api.js";

async function codesAt(source: string): Promise<string[]> {
  const r = await compile({ file: "t.nf", source }, { emitObject: false });
  return r.diagnostics.map((d) => `${d.code}@${d.span?.line}:${d.span?.col}`);
}

async function expectAtMark(code: string, marked: string): Promise<void> {
  const m = unmark(marked);
  expect(await codesAt(m.source)).toEqual([`${code}@${m.line}:${m.col}`]);
}

describe("map-limits", () => {
  test("62 maps are accepted (64 with .rodata and the test clock)", async () => {
    expect(await codesAt(manyMaps(62))).toEqual([]);
  });

  test("NF4200 at the 63rd map's declaration", async () => {
    expect(await codesAt(manyMaps(63))).toEqual(["NF4200@65:7"]); // `table t62` on line 65
    expect(await codesAt(manyMaps(64))).toEqual(["NF4200@65:7"]);
  });

  test("NF4200 counts the maps nfc adds: 62 tables and counters are 63", async () => {
    expect(await codesAt(manyMaps(61, { counters: true }))).toEqual([]);
    expect(await codesAt(manyMaps(62, { counters: true }))).toEqual(["NF4200@65:9"]); // `counter seen`
  });

  test("NF4201: a per-CPU value over 32 KiB, at the table", async () => {
    await expectAtMark(
      "NF4201",
      "nf p on xdp\ntype Big { b: bytes[40000] }\ntable ⟦t⟧: hash<u32, Big>(capacity = 16, per_cpu)\non packet { pass }\n",
    );
    expect(
      await codesAt(
        "nf p on xdp\ntype Big { b: bytes[32768] }\ntable t: hash<u32, Big>(capacity = 16, per_cpu)\non packet { pass }\n",
      ),
    ).toEqual([]);
  });

  test("NF4201: a shared array value over 4 MiB", async () => {
    await expectAtMark(
      "NF4201",
      "nf p on xdp\ntype Big { a: bytes[65535], b: bytes[65535] }\ntype Huge { x: Big, y: Big, z: Big, w: Big, v: Big, u: Big, s: Big, r: Big, q: Big, p: Big, o: Big, n: Big, m: Big, l: Big, k: Big, j: Big, i: Big, h: Big, g: Big, f: Big, e: Big, d: Big, c: Big, bb: Big, aa: Big, ab: Big, ac: Big, ad: Big, ae: Big, af: Big, ag: Big, ah: Big, ai: Big }\ntable ⟦t⟧: array<u32, Huge>(capacity = 1)\non packet { pass }\n",
    );
  });

  test("NF4202 at the structure that takes the program over 1 GiB", async () => {
    const sk = (n: string) => `sketch ${n}: count_min<flow5>(rows = 16, width = 4194304)`;
    await expectAtMark(
      "NF4202",
      `nf p on xdp\n${sk("a")}\n${sk("b")}\n${sk("c")}\n${sk("d")}\nsketch ⟦e⟧: count_min<flow5>(rows = 1, width = 8192)\non packet { pass }\n`,
    );
  });
});
