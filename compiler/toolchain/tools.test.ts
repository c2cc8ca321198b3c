// Tool detection and the NF5xxx catalogue entries.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, test } from "vitest";
import { toolchainCodes } from "../../lang/diagnostics/codes-toolchain.js";
import { compileBpf } from "./clang.js";
import { findClang, MIN_CLANG_MAJOR, packageRoot, parseClangVersion, runnerPath } from "./tools.js";

const scratch = mkdtempSync(join(tmpdir(), "nfc-tools-test-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function script(name: string, body: string): string {
  const p = join(scratch, name);
  writeFileSync(p, `#!/bin/sh\n${body}\n`);
  chmodSync(p, 0o755);
  return p;
}

describe("parseClangVersion", () => {
  test("reads Debian, upstream and Apple banners", () => {
    expect(parseClangVersion("Debian clang version 19.1.7 (3+b1)\nTarget: x86_64")).toEqual({
      version: "19.1.7",
      major: 19,
    });
    expect(parseClangVersion("clang version 14.0.6")).toEqual({ version: "14.0.6", major: 14 });
    expect(parseClangVersion("Apple clang version 15.0")).toEqual({ version: "15.0", major: 15 });
    expect(parseClangVersion("gcc (Debian 12.2.0-14) 12.2.0")).toBeUndefined();
  });
});

describe("findClang", () => {
  test("finds a clang new enough on this machine", () => {
    const r = findClang({ PATH: process.env.PATH });
    expect(r.diagnostics).toEqual([]);
    expect(r.tool?.major).toBeGreaterThanOrEqual(MIN_CLANG_MAJOR);
  });

  test("NFC_CLANG pointing at a missing binary is NF5002, with no fallback", () => {
    const r = findClang({ PATH: process.env.PATH, NFC_CLANG: join(scratch, "no-such-clang") });
    expect(r.tool).toBeUndefined();
    expect(r.diagnostics.map((d) => d.code)).toEqual(["NF5002"]);
    expect(r.diagnostics[0]!.message).toContain("does not exist");
  });

  test("NFC_CLANG pointing at a non-executable file or a non-clang is NF5002", () => {
    const plain = join(scratch, "plain");
    writeFileSync(plain, "");
    expect(findClang({ NFC_CLANG: plain }).diagnostics[0]!.message).toContain("is not executable");
    const notClang = script("not-clang", 'echo "gcc (Debian) 12.2.0"');
    expect(findClang({ NFC_CLANG: notClang }).diagnostics[0]!.message).toContain("is not clang");
  });

  test("a clang older than the minimum is NF5003", () => {
    const old = script("old-clang", 'echo "clang version 12.0.1"');
    const r = findClang({ NFC_CLANG: old });
    expect(r.diagnostics.map((d) => d.code)).toEqual(["NF5003"]);
    expect(r.diagnostics[0]!.message).toContain("clang 12.0.1");
  });

  test("no clang on PATH is NF5001", () => {
    const r = findClang({ PATH: scratch });
    expect(r.diagnostics.map((d) => d.code)).toEqual(["NF5001"]);
  });
});

describe("compileBpf reports toolchain problems as diagnostics", () => {
  const saved = process.env.NFC_CLANG;
  afterEach(() => {
    if (saved === undefined) delete process.env.NFC_CLANG;
    else process.env.NFC_CLANG = saved;
  });

  test("NFC_CLANG missing: no object, NF5002", () => {
    process.env.NFC_CLANG = join(scratch, "gone");
    const r = compileBpf("int x;", { name: "x", includeDirs: [] });
    expect(r.object).toBeUndefined();
    expect(r.diagnostics.map((d) => d.code)).toEqual(["NF5002"]);
  });
});

describe("paths", () => {
  test("package root and runner path", () => {
    expect(packageRoot()).toMatch(/\S/);
    expect(runnerPath()).toBe(join(packageRoot(), "build", "nfc-runner"));
  });
});

describe("NF5xxx catalogue entries", () => {
  const anyParams = new Proxy({}, { get: () => "x" });
  test.each(Object.entries(toolchainCodes))("%s is complete and reads lowercase", (code, e) => {
    expect(code).toMatch(/^NF5\d{3}$/);
    expect(e.title).toMatch(/^[a-zA-Z]/);
    expect(e.explain.length).toBeGreaterThan(40);
    const message = (e.message as (p: unknown) => string)(anyParams);
    expect(message).toMatch(/^[a-z`]/);
    expect((e.help as (p: unknown) => string | undefined)(anyParams)).toMatch(/\S/);
  });
});
