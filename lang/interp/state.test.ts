// Tables and sketches through the datapath (hand-built programs) and the control-plane handles.
import type { KindName } from "../blocks/index.js";
import { describe, expect, test } from "vitest";
import { dhIndex, nfHash64 } from "../hash.js";
import { BOOL, IP4, structTy, U16, U32, U64, type Ty } from "../types.js";
import * as H from "./hand.js";
import { createInterpreter, structureSeed, type LpmHandle, type TableHandle } from "./index.js";
import { buildPacket } from "./packet-build.js";
import { BloomStore } from "./kinds/bloom.js";
import { CountMinStore } from "./kinds/count-min.js";

const META = { cpu: 0, nowNs: 0n, ifindex: 1 };
const udp = (sport: number, src = "10.0.0.1"): Uint8Array =>
  buildPacket([{ kind: "eth" }, { kind: "ipv4", src }, { kind: "udp", sport }]);
const le32 = (n: number): Uint8Array => Uint8Array.of(n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, n >>> 24);
const SPORT = H.cast(H.hfield("udp", "sport", U16), U32);
const S = structTy("S", [
  { name: "pkts", ty: U64 },
  { name: "last", ty: U32 },
]);

/** A program: `let v = t.get(sport) else { drop }; v.pkts += 1; pass` (udp assumed present). */
function refProgram(kind: KindName, perCpu = false): ReturnType<typeof H.program> {
  const v = H.sym("v", { kind: "ref", inner: S }, false, { kind: "value" });
  return H.program({
    types: [S],
    states: [H.state("t", kind, U32, S, { capacity: 4, per_cpu: perCpu })],
    handler: [
      H.bind(v, H.op("t", "get", [SPORT], { kind: "option", inner: S }), [H.verdict("drop")]),
      H.assign(H.lvField(H.lvLocal(v), "pkts", U64), "+=", H.u64(1)),
      H.verdict("pass"),
    ],
  });
}

/** A program returning `drop` when `t.<op>(sport[, value])` is false. */
function opProgram(kind: KindName, o: string, value?: Ty, capacity = 2): ReturnType<typeof H.program> {
  const args = value ? [SPORT, H.int(7, value)] : [SPORT];
  return H.program({
    states: [H.state("t", kind, U32, value ?? U32, { capacity, per_cpu: false })],
    handler: [H.if_(H.un("!", H.op("t", o, args, BOOL)), [H.verdict("drop")]), H.verdict("pass")],
  });
}

describe("tables", () => {
  test("get yields a reference: writes through it change the stored value", () => {
    const interp = createInterpreter(refProgram("hash"));
    const t = interp.tables.t as TableHandle;
    expect(interp.run(udp(5), META).verdict).toBe("drop"); // absent
    t.set(le32(5), new Uint8Array(S.size));
    for (let i = 0; i < 3; i++) expect(interp.run(udp(5), META).verdict).toBe("pass");
    expect([...t.get(le32(5))!.slice(0, 8)]).toEqual([3, 0, 0, 0, 0, 0, 0, 0]);
  });

  test("array: every index below capacity exists; out of range is none", () => {
    const interp = createInterpreter(refProgram("array"));
    expect(interp.run(udp(3), META).verdict).toBe("pass");
    expect(interp.run(udp(4), META).verdict).toBe("drop");
    expect((interp.tables.t as TableHandle).get(le32(3))![0]).toBe(1);
    const ins = createInterpreter(opProgram("array", "insert", U32, 4));
    expect(ins.run(udp(3), META).verdict).toBe("pass");
    expect(ins.run(udp(4), META).verdict).toBe("drop");
    expect(createInterpreter(opProgram("array", "contains", undefined, 4)).run(udp(9), META).verdict).toBe(
      "drop",
    );
    expect(createInterpreter(opProgram("array", "remove", undefined, 4)).run(udp(1), META).verdict).toBe(
      "drop",
    );
  });

  test("hash insert returns false when full, but overwriting a present key succeeds", () => {
    const interp = createInterpreter(opProgram("hash", "insert", U32, 2));
    expect([1, 2, 3, 1].map((p) => interp.run(udp(p), META).verdict)).toEqual([
      "pass",
      "pass",
      "drop",
      "pass",
    ]);
    expect((interp.tables.t as TableHandle).entries().length).toBe(2);
  });

  test("lru insert on a full table evicts the least recently used", () => {
    const interp = createInterpreter(opProgram("lru", "insert", U32, 2));
    expect([1, 2, 3].map((p) => interp.run(udp(p), META).verdict)).toEqual(["pass", "pass", "pass"]);
    const keys = (interp.tables.t as TableHandle).entries().map((e) => e.key[0]);
    expect(keys).toEqual([2, 3]);
  });

  test("update only when present; remove reports presence", () => {
    const up = createInterpreter(opProgram("hash", "update", U32));
    expect(up.run(udp(1), META).verdict).toBe("drop");
    (up.tables.t as TableHandle).set(le32(1), le32(0));
    expect(up.run(udp(1), META).verdict).toBe("pass");
    expect([...(up.tables.t as TableHandle).get(le32(1))!]).toEqual([7, 0, 0, 0]);
    const rm = createInterpreter(opProgram("hash", "remove"));
    (rm.tables.t as TableHandle).set(le32(1), le32(0));
    expect([1, 1].map((p) => rm.run(udp(p), META).verdict)).toEqual(["pass", "drop"]);
  });

  test("add(k, n) inserts n when absent, then adds (wrapping at the value width)", () => {
    const prog = H.program({
      states: [H.state("t", "hash", U32, U16, { capacity: 8, per_cpu: false })],
      handler: [H.expr(H.op("t", "add", [SPORT, H.int(40000, U16)], { kind: "void" })), H.verdict("pass")],
    });
    const interp = createInterpreter(prog);
    interp.run(udp(1), META);
    expect([...(interp.tables.t as TableHandle).get(le32(1))!]).toEqual([0x40, 0x9c]);
    interp.run(udp(1), META); // 80000 mod 65536 = 14464
    expect([...(interp.tables.t as TableHandle).get(le32(1))!]).toEqual([0x80, 0x38]);
  });

  test("per-CPU hash: shared keys, one value per CPU", () => {
    const interp = createInterpreter(refProgram("hash", true), { cpus: 2 });
    const t = interp.tables.t as TableHandle;
    t.set(le32(5), new Uint8Array(S.size)); // all CPUs
    interp.run(udp(5), { ...META, cpu: 1 });
    interp.run(udp(5), { ...META, cpu: 1 });
    interp.run(udp(5), META);
    expect([t.get(le32(5), 0)![0], t.get(le32(5), 1)![0]]).toEqual([1, 2]);
  });

  test("lpm: longest prefix wins", () => {
    const v = H.sym("v", { kind: "ref", inner: U32 }, false, { kind: "value" });
    const prog = H.program({
      states: [H.state("routes", "lpm", IP4, U32, { capacity: 16, per_cpu: false })],
      handler: [
        H.bind(v, H.op("routes", "get", [H.hfield("ipv4", "src", IP4)], { kind: "option", inner: U32 }), [
          H.verdict("pass"),
        ]),
        H.redirect(H.local(v)),
      ],
    });
    const interp = createInterpreter(prog);
    const r = interp.tables.routes as LpmHandle;
    r.set({ prefixLen: 8, addr: Uint8Array.of(10, 0, 0, 0) }, le32(8));
    r.set({ prefixLen: 24, addr: Uint8Array.of(10, 1, 2, 99) }, le32(24)); // host bits ignored
    r.set({ prefixLen: 0, addr: Uint8Array.of(0, 0, 0, 0) }, le32(100));
    expect(interp.run(udp(1, "10.1.2.3"), META).redirectIfindex).toBe(24);
    expect(interp.run(udp(1, "10.1.3.3"), META).redirectIfindex).toBe(8);
    expect(interp.run(udp(1, "11.0.0.1"), META).redirectIfindex).toBe(100);
    r.delete({ prefixLen: 0, addr: Uint8Array.of(0, 0, 0, 0) });
    expect(interp.run(udp(1, "11.0.0.1"), META).verdict).toBe("pass");
  });
});

describe("sketches", () => {
  function sketchProgram(
    kind: "count_min" | "bloom",
    params: Record<string, number>,
  ): ReturnType<typeof H.program> {
    const add =
      kind === "count_min"
        ? H.op("s", "add", [SPORT, H.int(1)], { kind: "void" })
        : H.op("s", "insert", [SPORT], { kind: "void" });
    return H.program({
      states: [H.state("s", kind, U32, undefined, { ...params, per_cpu: false })],
      handler: [H.expr(add), H.verdict("pass")],
    });
  }

  test("count-min cells follow nf_dh_index with the structure seed", () => {
    const interp = createInterpreter(sketchProgram("count_min", { rows: 4, width: 64 }));
    interp.run(udp(77), META);
    const cm = interp.sketches.s as CountMinStore;
    const h = nfHash64(le32(77), structureSeed("s"));
    const want = new Uint32Array(4 * 64);
    for (let i = 0; i < 4; i++) want[i * 64 + dhIndex(h, i, 63)] = 1;
    expect(cm.cells()).toEqual(want);
  });

  test("count-min never under-estimates; a single key is exact", () => {
    const interp = createInterpreter(sketchProgram("count_min", { rows: 3, width: 16 }));
    const truth = new Map<number, number>();
    for (let i = 0; i < 400; i++) {
      const port = (i * 7919) % 37;
      truth.set(port, (truth.get(port) ?? 0) + 1);
      interp.run(udp(port), META);
    }
    const cm = interp.sketches.s as CountMinStore;
    for (const [port, n] of truth) expect(cm.estimate(le32(port))).toBeGreaterThanOrEqual(n);
    const single = createInterpreter(sketchProgram("count_min", { rows: 3, width: 16 }));
    for (let i = 0; i < 25; i++) single.run(udp(9), META);
    expect((single.sketches.s as CountMinStore).estimate(le32(9))).toBe(25);
  });

  test("bloom: no false negatives", () => {
    const interp = createInterpreter(sketchProgram("bloom", { bits: 256, hashes: 3 }));
    for (let p = 1000; p < 1100; p++) interp.run(udp(p), META);
    const b = interp.sketches.s as BloomStore;
    for (let p = 1000; p < 1100; p++) expect(b.contains(le32(p))).toBe(true);
    const set = [...b.bitArray()].reduce((a, x) => a + x.toString(2).replaceAll("0", "").length, 0);
    expect(set).toBeGreaterThan(3);
  });
});
