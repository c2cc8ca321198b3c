// The allocator's rules, and that c-reserved.ts is the current scan of the included headers
// (NFC_UPDATE_RESERVED=1 rewrites it).
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { findClang } from "../toolchain/tools.js";
import { escapeUser, member, NameAllocator } from "./allocator.js";
import { kernelName } from "./kernel.js";
import { isReservedWord, isSafeUserName } from "./reserved.js";
import { reservedModule, scanHeaderNames } from "./scan.js";

const listFile = fileURLToPath(new URL("./c-reserved.ts", import.meta.url));

describe("reserved names", () => {
  test("c-reserved.ts is the scan of the headers generated C includes", () => {
    const clang = findClang();
    if (!clang.tool) throw new Error("clang is required");
    const text = reservedModule(scanHeaderNames(clang.tool.path));
    if (process.env.NFC_UPDATE_RESERVED === "1") writeFileSync(listFile, text);
    expect(readFileSync(listFile, "utf8")).toBe(text);
  }, 60_000);

  test("keywords, libbpf, uapi and stdlib names are all unsafe", () => {
    for (const n of [
      "int",
      "switch",
      "default",
      "return",
      "NULL",
      "XDP_PASS",
      "__u32",
      "LICENSE",
      "SEC",
      "bpf_map_lookup_elem",
      "nf_parse",
      "NF_H_ETH",
      "ctx",
      "bool",
      "true",
      "ethhdr",
      "iphdr",
      "xdp_md",
    ])
      expect([n, isSafeUserName(n)]).toEqual([n, false]);
    for (const n of ["flows", "blocked", "h", "cnt", "counters", "key_0", "tmp_3", "x"])
      expect([n, isSafeUserName(n)]).toEqual([n, true]);
  });
});

describe("allocator", () => {
  test("escapes are injective and never reserved", () => {
    const names = [
      "int",
      "u_int",
      "u_u_int",
      "NULL",
      "u_NULL",
      "nf_parse",
      "u_nf_parse",
      "__u32",
      "x",
      "u_x",
    ];
    const out = names.map(escapeUser);
    expect(new Set(out).size).toBe(names.length);
    for (const o of out) expect(isSafeUserName(o)).toBe(true);
    expect(out.slice(0, 3)).toEqual(["u_int", "u_u_int", "u_u_u_int"]);
    expect(member("int")).toBe("u_int");
  });

  test("user names as written, nfc names under nf_, a suffix only on a collision", () => {
    const a = new NameAllocator();
    expect(a.user("local:1", "f")).toBe("f");
    expect(a.user("local:2", "f")).toBe("f_1");
    expect(a.user("local:1", "f")).toBe("f");
    expect(a.user("local:3", "f_1")).toBe("f_1_1");
    expect(a.user("local:4", "int")).toBe("u_int");
    expect(a.gen("key")).toBe("nf_key");
    expect(a.gen("key")).toBe("nf_key_1");
    expect(a.user("local:5", "nf_key")).toBe("u_nf_key");
    expect(a.userTag("type:counters", "counters")).toBe("counters");
    expect(a.genTag("counters", "counters")).toBe("nf_counters");
  });

  test("map symbols stay unique in their first 15 characters (the kernel name)", () => {
    const names = ["blocked_sources_by_src_v4", "blocked_sources_by_src_v6", "blocked_sources", "shorty"];
    const a = new NameAllocator();
    const syms = names.map((n, i) =>
      a.map(
        `map:${n}`,
        { user: n },
        names.filter((_, j) => j !== i).map((x) => kernelName(escapeUser(x))),
      ),
    );
    expect(syms[2]).toBe("blocked_sources");
    expect(syms[3]).toBe("shorty");
    expect(new Set(syms.map(kernelName)).size).toBe(4);
    for (const s of syms) expect(s.length).toBeLessThanOrEqual(15);
    expect(syms[0]).toMatch(/^blocked_so_[0-9a-f]{4}$/);
    const b = new NameAllocator();
    expect(b.map("map:recent_sources_table", { user: "recent_sources_table" }, ["routes"])).toBe(
      "recent_sources_table",
    );
    expect(isReservedWord("nf_counters")).toBe(false);
  });
});
