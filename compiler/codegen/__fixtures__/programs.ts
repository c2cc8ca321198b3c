// Hand-built programs covering the constructs the compiler lowers. `heavyHitter` is the program
// of docs/LANGUAGE.md, exactly as the checker should produce it.
import type { CheckedProgram } from "../../../lang/checked.js";
import { FLOW5, structTy, IP6, MAC, U32, U64, U16, U8, BOOL, IP4 } from "../../../lang/types.js";
import {
  assignS,
  resetIds,
  bin,
  bindHeader,
  blit,
  builtin,
  cfg,
  counterInc,
  exprS,
  hfield,
  ifS,
  int,
  ip4,
  letS,
  lit,
  local,
  lvField,
  lvLocal,
  op,
  program,
  sp,
  sym,
  verdict,
} from "./build.js";

export function heavyHitter(): CheckedProgram {
  resetIds();
  const ip = sym("ip", { kind: "header", name: "ipv4" }, { kind: "header", header: "ipv4" });
  const f = sym("f", FLOW5);
  return program({
    name: "heavy_hitter",
    configs: [{ name: "threshold", ty: U32, default: int(10000), span: sp(4) }],
    states: [
      {
        name: "flows",
        family: "sketch",
        kind: "count_min",
        key: FLOW5,
        params: { rows: 4, width: 65536, per_cpu: false },
        span: sp(6),
      },
      {
        name: "blocked",
        family: "table",
        kind: "hash",
        key: IP4,
        value: U64,
        params: { capacity: 65536, per_cpu: false },
        span: sp(7),
      },
    ],
    counters: [
      { name: "dropped", index: 0, span: sp(8) },
      { name: "passed", index: 1, span: sp(8) },
    ],
    usedHeaders: ["eth", "ipv4", "tcp", "udp"],
    handler: [
      bindHeader(ip, "ipv4", [verdict("pass", 11)], 11),
      ifS(
        op("blocked", "contains", [hfield("ipv4", "src", IP4, 12)], BOOL, 12),
        [counterInc("dropped", 12), verdict("drop", 12)],
        [],
        12,
      ),
      letS(f, builtin("flow5", [], FLOW5, 13), 13),
      exprS(op("flows", "add", [local(f, 14), lit(1, U32, 14)], { kind: "void" }, 14)),
      ifS(
        bin(">", op("flows", "estimate", [local(f, 15)], U32, 15), cfg("threshold", U32)),
        [
          exprS(
            op(
              "blocked",
              "insert",
              [hfield("ipv4", "src", IP4, 15), builtin("now_ns", [], U64, 15)],
              BOOL,
              15,
            ),
          ),
          verdict("drop", 15),
        ],
        [],
        15,
      ),
      counterInc("passed", 16),
      verdict("pass", 17),
    ],
  });
}

/** Arithmetic semantics: wrap casts, shift masks, division guards, ip4 literal byte order. */
export function arith(): CheckedProgram {
  resetIds();
  const a = sym("a", U8, undefined, true);
  const b = sym("b", U16, undefined, true);
  const q = sym("q", U32);
  const r = sym("r", U32);
  const ip = sym("ip", { kind: "header", name: "ipv4" }, { kind: "header", header: "ipv4" });
  return program({
    name: "arith",
    configs: [{ name: "k", ty: U32, default: int(3), span: sp(2) }],
    usedHeaders: ["eth", "ipv4"],
    handler: [
      bindHeader(ip, "ipv4", [verdict("pass", 3)], 3),
      letS(a, hfield("ipv4", "ttl", U8, 4), 4),
      assignS(lvLocal(a), "+=", lit(200, U8, 5), 5),
      letS(b, bin("*", hfield("ipv4", "id", U16, 6), lit(0xffff, U16, 6)), 6),
      assignS(lvLocal(b), "<<=", lit(3, U16, 7), 7),
      letS(q, bin("/", lit(1000, U32, 8), cfg("k", U32)), 8),
      letS(r, bin("%", local(q), bin("-", cfg("k", U32), lit(3, U32))), 9),
      assignS(lvField("ipv4", "ttl", U8, 10), "-=", lit(1, U8, 10), 10),
      assignS(lvField("ipv4", "dst", IP4, 11), "=", ip4(10, 0, 0, 1), 11),
      ifS(bin("==", bin("+", local(q), local(r)), lit(7)), [verdict("drop", 12)], [], 12),
      ifS(bin("==", hfield("ipv4", "src", IP4, 13), ip4(192, 168, 1, 2)), [verdict("tx", 13)], [], 13),
      verdict("pass", 14),
    ],
  });
}

/** Tables of every kind with every datapath op, bind of `get`, match, loops, a user type. */
export function tables(hook: "xdp" | "tc_ingress" = "xdp"): CheckedProgram {
  resetIds();
  const Stats = structTy("stats", [
    { name: "packets", ty: U64 },
    { name: "last_ttl", ty: U8 },
    { name: "src", ty: IP4 },
  ]);
  const ip = sym("ip", { kind: "header", name: "ipv4" }, { kind: "header", header: "ipv4" });
  const s = sym("s", { kind: "ref", inner: Stats }, { kind: "value" });
  const i = sym("i", U32);
  const acc = sym("acc", U32, undefined, true);
  const ref = (x: typeof s) => ({ kind: "local" as const, sym: x, ty: x.ty, span: sp(6) });
  return program(
    {
      name: "tables_test_with_long_name",
      types: [Stats],
      states: [
        {
          name: "per_src",
          family: "table",
          kind: "hash",
          key: IP4,
          value: Stats,
          params: { capacity: 1024, per_cpu: false },
          span: sp(2),
        },
        {
          name: "by_port",
          family: "table",
          kind: "array",
          key: U16,
          value: U64,
          params: { capacity: 65536, per_cpu: true },
          span: sp(2),
        },
        {
          name: "recent_sources_table",
          family: "table",
          kind: "lru",
          key: IP4,
          value: U32,
          params: { capacity: 4096, per_cpu: false },
          span: sp(2),
        },
        {
          name: "routes",
          family: "table",
          kind: "lpm",
          key: IP4,
          value: U32,
          params: { capacity: 256, per_cpu: false },
          span: sp(2),
        },
        {
          name: "seen",
          family: "sketch",
          kind: "bloom",
          key: IP4,
          params: { bits: 1 << 16, hashes: 3, per_cpu: true },
          span: sp(3),
        },
      ],
      usedHeaders: ["eth", "ipv4"],
      handler: [
        bindHeader(ip, "ipv4", [verdict("pass", 4)], 4),
        {
          kind: "if",
          cond: {
            kind: "bind",
            sym: s,
            source: op(
              "per_src",
              "get",
              [hfield("ipv4", "src", IP4, 6)],
              { kind: "option", inner: Stats },
              6,
            ),
          },
          then: [
            assignS(
              {
                kind: "field",
                base: { kind: "local", sym: s, ty: s.ty, span: sp(7) },
                field: "packets",
                ty: U64,
                span: sp(7),
              },
              "+=",
              lit(1, U64, 7),
              7,
            ),
            assignS(
              {
                kind: "field",
                base: { kind: "local", sym: s, ty: s.ty, span: sp(7) },
                field: "last_ttl",
                ty: U8,
                span: sp(7),
              },
              "=",
              hfield("ipv4", "ttl", U8, 7),
              7,
            ),
            ifS(
              bin(
                ">",
                { kind: "field", base: ref(s), field: "packets", ty: U64, span: sp(8) },
                lit(100, U64),
              ),
              [verdict("drop", 8)],
              [],
              8,
            ),
          ],
          else: [
            exprS(
              op(
                "per_src",
                "insert",
                [
                  hfield("ipv4", "src", IP4, 9),
                  {
                    kind: "struct",
                    fields: [
                      { name: "packets", value: lit(1, U64) },
                      { name: "src", value: hfield("ipv4", "src", IP4) },
                    ],
                    ty: Stats,
                    span: sp(9),
                  },
                ],
                BOOL,
                9,
              ),
            ),
          ],
          span: sp(6),
        },
        exprS(op("by_port", "add", [hfield("ipv4", "id", U16, 10), lit(1, U64, 10)], { kind: "void" }, 10)),
        exprS(
          op(
            "recent_sources_table",
            "add",
            [hfield("ipv4", "src", IP4, 11), builtin("pkt_len", [], U32, 11)],
            { kind: "void" },
            11,
          ),
        ),
        ifS(
          op("routes", "contains", [hfield("ipv4", "dst", IP4, 12)], BOOL, 12),
          [exprS(op("seen", "insert", [hfield("ipv4", "dst", IP4)], { kind: "void" }, 12))],
          [],
          12,
        ),
        exprS(op("recent_sources_table", "remove", [ip4(10, 0, 0, 9)], BOOL, 13)),
        letS(acc, lit(0), 14),
        {
          kind: "for",
          sym: i,
          lo: 0n,
          hi: 8n,
          body: [
            assignS(lvLocal(acc), "+=", local(i), 15),
            ifS(bin(">", local(acc), lit(10)), [{ kind: "break", span: sp(15) }], [], 15),
          ],
          span: sp(14),
        },
        {
          kind: "match",
          scrutinee: hfield("ipv4", "proto", U8, 16),
          arms: [
            {
              patterns: [
                { kind: "value", value: 6n },
                { kind: "value", value: 17n },
              ],
              body: [verdict("pass", 17)],
              span: sp(17),
            },
            { patterns: [{ kind: "range", lo: 100n, hi: 200n }], body: [verdict("drop", 18)], span: sp(18) },
            { patterns: [{ kind: "wildcard" }], body: [], span: sp(19) },
          ],
          span: sp(16),
        },
        ifS(
          bin("&&", blit(true), op("seen", "contains", [hfield("ipv4", "src", IP4)], BOOL, 20)),
          [verdict("tx", 20)],
          [],
          20,
        ),
        verdict("pass", 21),
      ],
    },
    hook,
  );
}

/** Header writes across L4: ports, ipv6 addresses, MAC swap, a user header parse extension. */
export function headers(): CheckedProgram {
  resetIds();
  const t = sym("t", { kind: "header", name: "tcp" }, { kind: "header", header: "tcp" });
  const u = sym("u", { kind: "header", name: "udp" }, { kind: "header", header: "udp" });
  const v6 = sym("v6", { kind: "header", name: "ipv6" }, { kind: "header", header: "ipv6" });
  const vx = sym("vx", { kind: "header", name: "vxlan" }, { kind: "header", header: "vxlan" });
  const m = sym("m", MAC);
  const e = sym("e", { kind: "header", name: "eth" }, { kind: "header", header: "eth" });
  const vxlan = {
    name: "vxlan",
    size: 8,
    builtin: false,
    fields: [
      { name: "flags", ty: U8, offset: 0, writable: true, csum: "none" as const },
      {
        name: "rsvd",
        ty: { kind: "bytes" as const, len: 3 },
        offset: 1,
        writable: true,
        csum: "none" as const,
      },
      { name: "vni", ty: U32, offset: 4, writable: true, csum: "none" as const },
    ],
  };
  return program({
    name: "hdrs",
    headers: [vxlan],
    parseExts: [{ after: "udp", field: "dport", value: int(4789), header: "vxlan", span: sp(3) }],
    usedHeaders: ["eth", "ipv4", "ipv6", "tcp", "udp"],
    handler: [
      {
        kind: "if",
        cond: {
          kind: "bind",
          sym: t,
          source: { kind: "header", header: "tcp", ty: { kind: "header", name: "tcp" }, span: sp(5) },
        },
        then: [
          assignS(lvField("tcp", "dport", U16, 6), "=", lit(8080, U16), 6),
          assignS(lvField("tcp", "flags", U8, 6), "|=", lit(0x10, U8), 6),
        ],
        else: [],
        span: sp(5),
      },
      {
        kind: "if",
        cond: {
          kind: "bind",
          sym: u,
          source: { kind: "header", header: "udp", ty: { kind: "header", name: "udp" }, span: sp(7) },
        },
        then: [assignS(lvField("udp", "sport", U16, 7), "=", lit(53, U16), 7)],
        else: [],
        span: sp(7),
      },
      {
        kind: "if",
        cond: {
          kind: "bind",
          sym: v6,
          source: { kind: "header", header: "ipv6", ty: { kind: "header", name: "ipv6" }, span: sp(8) },
        },
        then: [
          assignS(lvField("ipv6", "src", IP6, 9), "=", hfield("ipv6", "dst", IP6, 9), 9),
          ifS(bin("==", hfield("ipv6", "proto", U8, 10), lit(58, U8)), [verdict("drop", 10)], [], 10),
          assignS(lvField("ipv6", "hop", U8, 10), "-=", lit(1, U8), 10),
        ],
        else: [],
        span: sp(8),
      },
      {
        kind: "if",
        cond: {
          kind: "bind",
          sym: vx,
          source: { kind: "header", header: "vxlan", ty: { kind: "header", name: "vxlan" }, span: sp(11) },
        },
        then: [
          ifS(
            bin("==", hfield("vxlan", "vni", U32, 12), lit(42)),
            [assignS(lvField("vxlan", "vni", U32, 12), "=", lit(43), 12)],
            [],
            12,
          ),
        ],
        else: [],
        span: sp(11),
      },
      bindHeader(e, "eth", [verdict("drop", 13)], 13),
      letS(m, hfield("eth", "src", MAC, 13), 13),
      assignS(lvField("eth", "src", MAC, 14), "=", hfield("eth", "dst", MAC, 14), 14),
      assignS(lvField("eth", "dst", MAC, 14), "=", local(m), 14),
      verdict("tx", 15),
    ],
  });
}
