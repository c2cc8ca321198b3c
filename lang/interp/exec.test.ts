// Hand-built CheckedPrograms (hand.ts) run on crafted packets: verdicts, bytes, locals, flow.
import { describe, expect, test } from "vitest";
import { ipv4HeaderCsum } from "../csum.js";
import { nfHash64 } from "../hash.js";
import { BOOL, FLOW5, IP4, structTy, U16, U32, U64, U8, type Ty } from "../types.js";
import * as H from "./hand.js";
import { createInterpreter, type TableHandle } from "./index.js";
import { buildPacket } from "./packet-build.js";

const META = { cpu: 0, nowNs: 1_000_000n, ifindex: 3 };
const tcpPkt = (): Uint8Array =>
  buildPacket([{ kind: "eth" }, { kind: "ipv4", ttl: 64 }, { kind: "tcp", sport: 4000, dport: 443 }], [9, 9]);
const be16 = (p: Uint8Array, o: number): number => (p[o]! << 8) | p[o + 1]!;
const IPV4H: Ty = { kind: "header", name: "ipv4" };

describe("headers and verdicts", () => {
  const ip = H.sym("ip", IPV4H, false, { kind: "header", header: "ipv4" });
  const prog = H.program({
    handler: [
      H.bind(ip, H.header("ipv4"), [H.verdict("pass")]),
      H.assign(H.lvField(H.lvLocal(ip), "ttl", U8), "-=", H.u8(1)),
      H.verdict("tx"),
    ],
  });

  test("ttl decrement through a header binding: tx, checksum equals a recompute", () => {
    const r = createInterpreter(prog).run(tcpPkt(), META);
    expect(r.verdict).toBe("tx");
    expect(r.packet[22]).toBe(63);
    expect(be16(r.packet, 24)).toBe(ipv4HeaderCsum(r.packet, 14));
  });

  test("the input packet is not modified", () => {
    const p = tcpPkt();
    createInterpreter(prog).run(p, META);
    expect(p[22]).toBe(64);
  });

  test("header absent at every truncation below the IPv4 header: pass, bytes unchanged", () => {
    const full = tcpPkt();
    const interp = createInterpreter(prog);
    for (let len = 0; len <= full.length; len++) {
      const r = interp.run(full.slice(0, len), META);
      expect({ len, v: r.verdict }).toEqual({ len, v: len < 34 ? "pass" : "tx" });
      expect(r.packet.length).toBe(len);
    }
  });

  test("tx on TC is a redirect to the packet's own interface; on XDP it is plain tx", () => {
    const tc = createInterpreter(H.program({ hook: "tc_ingress", handler: [H.verdict("tx")] })).run(
      tcpPkt(),
      META,
    );
    expect(tc).toMatchObject({ verdict: "tx", redirectIfindex: 3 });
    const xdp = createInterpreter(H.program({ handler: [H.verdict("tx")] })).run(tcpPkt(), META);
    expect(xdp.redirectIfindex).toBeUndefined();
  });

  test("redirect carries the evaluated ifindex", () => {
    const p = H.program({ handler: [H.redirect(H.bin("+", H.int(5), H.int(2)))] });
    expect(createInterpreter(p).run(tcpPkt(), META)).toMatchObject({
      verdict: "redirect",
      redirectIfindex: 7,
    });
  });
});

describe("locals, loops and builtins", () => {
  test("for with break, short-circuit, pkt_len, cpu, now_ns", () => {
    const i = H.sym("i", U32);
    const acc = H.sym("acc", U64);
    const prog = H.program({
      counters: [
        { name: "a", index: 0, span: H.int(0).span },
        { name: "b", index: 1, span: H.int(0).span },
      ],
      handler: [
        H.let_(acc, H.u64(0)),
        H.for_(i, 0n, 10n, [
          H.if_(H.bin("==", H.local(i), H.int(4)), [H.brk]),
          H.assign(H.lvLocal(acc), "+=", H.cast(H.local(i), U64)),
        ]),
        H.assign(H.lvCounter("a"), "+=", H.local(acc)), // 0+1+2+3
        // false && <division by zero would still be fine, but the counter op must not run>
        H.if_(H.bin("||", H.bool(true), H.bin("==", H.int(1), H.int(2))), [
          H.assign(H.lvCounter("b"), "+=", H.cast(H.builtin("pkt_len", [], U32), U64)),
        ]),
        H.if_(H.bin("==", H.builtin("now_ns", [], U64), H.u64(1_000_000n)), [H.verdict("drop")]),
        H.verdict("pass"),
      ],
    });
    const interp = createInterpreter(prog, { cpus: 2 });
    const r = interp.run(tcpPkt(), { ...META, cpu: 1 });
    expect(r.verdict).toBe("drop");
    expect(interp.counters.a!.values()).toEqual([0n, 6n]);
    expect(interp.counters.b!.total()).toBe(BigInt(tcpPkt().length));
  });

  test("struct locals: field writes, byte index in range and out of range", () => {
    const T = structTy("T", [
      { name: "x", ty: U8 },
      { name: "y", ty: U32 },
      { name: "b", ty: { kind: "bytes", len: 2 } },
    ]);
    const s = H.sym("s", T);
    const prog = H.program({
      types: [T],
      states: [H.state("out", "hash", U32, T, { capacity: 4, per_cpu: false })],
      handler: [
        H.let_(s, {
          kind: "struct",
          ty: T,
          span: H.int(0).span,
          fields: [{ name: "y", value: H.int(0x01020304) }],
        }),
        H.assign(H.lvField(H.lvLocal(s), "x", U8), "=", H.u8(0xaa)),
        H.assign(H.lvIndex(H.lvField(H.lvLocal(s), "b", T.fields[2]!.ty), H.int(1)), "=", H.u8(7)),
        H.assign(H.lvIndex(H.lvField(H.lvLocal(s), "b", T.fields[2]!.ty), H.int(2)), "=", H.u8(9)), // out of range: no-op
        H.expr(H.op("out", "insert", [H.int(1), H.local(s)], BOOL)),
        H.verdict("pass"),
      ],
    });
    const interp = createInterpreter(prog);
    interp.run(tcpPkt(), META);
    // C layout: x at 0, pad 1..3, y at 4 (LE), b at 8..9, pad to 12
    expect([...(interp.tables.out as TableHandle).get(Uint8Array.of(1, 0, 0, 0))!]).toEqual([
      0xaa, 0, 0, 0, 4, 3, 2, 1, 0, 7, 0, 0,
    ]);
  });

  test("flow5(): ports big-endian in the bytes, read back as host numbers; hash() is nf_hash64", () => {
    const f = H.sym("f", FLOW5);
    const prog = H.program({
      states: [H.state("seen", "hash", FLOW5, U16, { capacity: 4, per_cpu: false })],
      handler: [
        H.let_(f, H.builtin("flow5", [], FLOW5)),
        H.expr(H.op("seen", "insert", [H.local(f), H.field(H.local(f), "sport", U16)], BOOL)),
        H.if_(H.bin("==", H.builtin("hash", [H.local(f)], U64), H.u64(0)), [H.verdict("drop")]),
        H.verdict("pass"),
      ],
    });
    const interp = createInterpreter(prog);
    interp.run(tcpPkt(), META);
    const [e] = interp.tables.seen!.entries();
    expect([...e!.key]).toEqual([10, 0, 0, 1, 10, 0, 0, 2, 0x0f, 0xa0, 0x01, 0xbb, 6, 0, 0, 0]);
    expect([...e!.value]).toEqual([0xa0, 0x0f]); // u16 4000, little-endian value
    expect(nfHash64(e!.key, 0n)).not.toBe(0n);
  });

  test("flow5() ports are 0 on a non-first fragment", () => {
    const prog = H.program({
      states: [H.state("seen", "hash", FLOW5, U8, { capacity: 4, per_cpu: false })],
      handler: [
        H.expr(H.op("seen", "insert", [H.builtin("flow5", [], FLOW5), H.u8(1)], BOOL)),
        H.verdict("pass"),
      ],
    });
    const interp = createInterpreter(prog);
    interp.run(buildPacket([{ kind: "eth" }, { kind: "ipv4", frag: 0x0010 }, { kind: "udp" }]), META);
    expect([...interp.tables.seen!.entries()[0]!.key.slice(8, 13)]).toEqual([0, 0, 0, 0, 17]);
  });

  test("config values and ip4 casts", () => {
    const prog = H.program({
      configs: [{ name: "net", ty: U32, default: { kind: "int", v: 0x0a000001n }, span: H.int(0).span }],
      handler: [
        H.if_(H.bin("==", H.cast(H.hfield("ipv4", "src", IP4), U32), H.config("net", U32)), [
          H.verdict("drop"),
        ]),
        H.verdict("pass"),
      ],
    });
    const interp = createInterpreter(prog);
    expect(interp.run(tcpPkt(), META).verdict).toBe("drop");
    interp.setConfig("net", { kind: "int", v: 5n });
    expect(interp.run(tcpPkt(), META).verdict).toBe("pass");
  });
});

describe("user headers and match", () => {
  const VX = {
    name: "vxlan",
    size: 8,
    builtin: false,
    fields: [
      { name: "flags", ty: U8, offset: 0, writable: true, csum: "none" as const },
      { name: "rsvd", ty: { kind: "bytes", len: 3 } as Ty, offset: 1, writable: true, csum: "none" as const },
      { name: "vni", ty: U32, offset: 4, writable: true, csum: "none" as const },
    ],
  };
  const span = H.int(0).span;
  const prog = H.program({
    headers: [VX],
    parseExts: [{ after: "udp", field: "dport", value: { kind: "int", v: 4789n }, header: "vxlan", span }],
    handler: [
      H.if_(H.un("!", H.header("vxlan")), [H.verdict("pass")]),
      H.assign(H.lvH("vxlan", "vni", U32), "+=", H.int(1)),
      {
        kind: "match",
        span,
        scrutinee: H.hfield("vxlan", "vni", U32),
        arms: [
          { patterns: [{ kind: "value", value: 1n }], body: [H.verdict("tx")], span },
          {
            patterns: [{ kind: "range", lo: 2n, hi: 0x2000n }],
            body: [H.redirect(H.hfield("vxlan", "vni", U32))],
            span,
          },
          { patterns: [{ kind: "wildcard" }], body: [H.verdict("drop")], span },
        ],
      },
    ],
  });
  const vx = (dport: number, vni: number, extra: number[] = []): Uint8Array =>
    buildPacket(
      [{ kind: "eth" }, { kind: "ipv4" }, { kind: "udp", dport }],
      [0x08, 0, 0, 0, 0, 0, vni, 0, ...extra],
    );

  test("parsed after udp when the condition holds; big-endian field write; match arms", () => {
    const interp = createInterpreter(prog);
    const r = interp.run(vx(4789, 0), META);
    expect(r.verdict).toBe("tx");
    expect([...r.packet.slice(42 + 4, 42 + 8)]).toEqual([0, 0, 0, 1]);
    expect(interp.run(vx(4789, 0x10), META)).toMatchObject({
      verdict: "redirect",
      redirectIfindex: 0x1000 + 1,
    });
    expect(interp.run(vx(4789, 0x7f), META).verdict).toBe("drop");
  });

  test("absent when the condition fails or the header is cut short", () => {
    const interp = createInterpreter(prog);
    expect(interp.run(vx(4790, 0), META).verdict).toBe("pass");
    expect(interp.run(vx(4789, 0).slice(0, 42 + 7), META).verdict).toBe("pass");
    expect(interp.run(vx(4789, 0).slice(0, 42 + 8), META).verdict).toBe("tx");
  });
});
