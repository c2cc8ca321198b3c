// Every phase up to clang and the verifier survives what the front end accepts: a program at each
// nesting limit (lang/syntax/limits-programs.ts, built from the constructs whose C nests deepest)
// compiles with clang -Werror (which stops at 256 nested brackets) and loads in the host kernel.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { compile } from "../compiler/api.js";
import { KernelRunner } from "../compiler/kernel/runner.js";
import { requireKernel } from "../compiler/kernel/testing.js";
import { nestingPrograms } from "../lang/syntax/limits-programs.js";

const work = mkdtempSync(join(tmpdir(), "nfc-limits-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** 32 levels of user types (MAX_TYPE_DEPTH), stored in a table and compared whole. */
const deepTypes = {
  name: "user types",
  at:
    "nf t on xdp\n" +
    Array.from(
      { length: 32 },
      (_, i) => `type T${i} { a: ${i + 1 < 32 ? `T${i + 1}` : "u32"}, b: u8 }\n`,
    ).join("") +
    "table t: hash<u32, T0>(capacity = 4)\non packet {\n  if let v = t.get(1) { if v.a.a.a.b == 3 { drop } }\n  pass\n}\n",
};

describe("programs at the nesting limits", () => {
  for (const p of [...nestingPrograms(), deepTypes]) {
    test(`${p.name}: clang -Werror${requireKernel() ? " and the verifier" : ""}`, async () => {
      const r = await compile({ file: "limit.nf", source: p.at }, { werror: true });
      expect(r.diagnostics.map((d) => `${d.code} ${d.message.split("\n")[0]}`)).toEqual([]);
      if (!requireKernel()) return;
      const runner = KernelRunner.start();
      try {
        const path = join(work, `${p.name.replace(/\W+/g, "_")}.bpf.o`);
        writeFileSync(path, r.object!);
        await runner.open(path);
        const res = await runner.load("limit");
        expect(res.ok, res.ok ? "" : res.verifierLog.split("\n").slice(-8).join("\n")).toBe(true);
      } finally {
        await runner.close();
      }
    }, 120_000);
  }
});
