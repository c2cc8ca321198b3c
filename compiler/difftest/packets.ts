// Seeded packet generation for the differential runner: valid packets over the whole built-in
// parse graph (eth, 0–2 VLAN tags incl. 802.1ad, IPv4 with/without options, IPv6 with 0–4
// extension headers incl. fragments, TCP/UDP/ICMP/ICMPv6, payloads incl. empty, user headers
// after their parse-extension condition) and malformed ones (truncations at and inside header
// boundaries, bad IHL / lengths / TCP offsets, ext chains running off the end, non-first
// fragments, cut VLAN tags). Addresses, ports and small integers come from a small pool most of
// the time so table entries, sketch thresholds and flows repeat. Never shorter than 14 bytes:
// BPF_PROG_TEST_RUN rejects shorter packets (EINVAL).
import type { CheckedProgram } from "../../lang/checked.js";
import { buildPacket, type Layer } from "../../lang/interp/packet-build.js";
import { gen, type Gen } from "./gen.js";
import { constPorts, payloadLiterals, textPayload } from "./payload-pool.js";

export const MIN_PACKET = 14;

/** The shared address / port / integer pools (setup draws table keys from the same pools). */
const BASE4: number[][] = Array.from({ length: 16 }, (_, i) => [
  [10, 172, 192, 100][i % 4]!,
  i % 4 === 1 ? 16 : i % 4 === 2 ? 168 : 0,
  i >> 2,
  1 + i,
]);
const BASE6: number[][] = Array.from({ length: 8 }, (_, i) => [
  0x20,
  0x01,
  0x0d,
  0xb8,
  0,
  i & 1,
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  i === 0 ? 1 : 16 + i,
]);
export let POOL4: number[][] = BASE4;
export let POOL6: number[][] = BASE6;

/** Resets the pools for a program: the base pools plus its ip4 / ip6 constants (e.g. a service
 *  address it matches on). Called by generatePackets and deriveSetup. */
export function usePools(program: CheckedProgram): void {
  const consts = (kind: "ip4" | "ip6"): number[][] =>
    program.consts.flatMap((c) => (c.ty.kind === kind && c.value.kind === "bytes" ? [[...c.value.v]] : []));
  POOL4 = [...BASE4, ...consts("ip4")];
  POOL6 = [...BASE6, ...consts("ip6")];
  TEXTS = payloadLiterals(program);
  PORTS = TEXTS.length > 0 ? [...BASE_PORTS, ...constPorts(program)] : BASE_PORTS;
}
const BASE_PORTS = [53, 80, 22, 443, 4789, 1234];
export let PORTS = BASE_PORTS;
/** The strings the program compares its payload with (payload-pool.ts). */
let TEXTS: number[][] = [];
/** Ethernet addresses packets and table setups share (L2 tables such as a MAC → port cuckoo). */
export const POOLMAC: readonly number[][] = [1, 2, 3, 4, 5, 6].map((i) => [2, 0, 0, 0, 0, i]);
const mac = (g: Gen): number[] =>
  g.r() < 0.6 ? g.pick(POOLMAC) : g.bytes(6).map((b, i) => (i === 0 ? b & 0xfe : b));
export const SMALL_INTS = 16;

export { gen, type Gen };

export interface GenPacket {
  bytes: Uint8Array;
  /** Short description: layer kinds, and the mutation for malformed packets. */
  shape: string;
  malformed: boolean;
}

/** A parse extension with an integer condition; `at`/`width`: where its condition field lies in
 *  the header it follows, when that is a user header (for chains). */
type UserExt = {
  after: string;
  field: string;
  value: bigint;
  header: string;
  size: number;
  fieldSizes: number[];
  at?: number;
  width?: number;
};

function userExts(p: CheckedProgram): UserExt[] {
  return p.parseExts.flatMap((e) => {
    const h = p.headers.find((x) => x.name === e.header);
    if (!h || e.value.kind !== "int") return [];
    const sizes = h.fields.map((f) => (f.ty.kind === "int" ? f.ty.bits / 8 : 0));
    const cond = p.headers.find((x) => x.name === e.after)?.fields.find((f) => f.name === e.field);
    const where = cond?.ty.kind === "int" ? { at: cond.offset, width: cond.ty.bits / 8 } : {};
    return [
      {
        after: e.after,
        field: e.field,
        value: e.value.v,
        header: e.header,
        size: h.size,
        fieldSizes: sizes,
        ...where,
      },
    ];
  });
}

/** The user header `first` and, often, user headers chained after it (`parse first.f == v =>
 *  next`: the condition field written so that the chain is followed), each at most once. */
function userChain(g: Gen, exts: UserExt[], first: UserExt): number[] {
  const out = userHeader(g, first);
  const seen = new Set([first.header]);
  for (let cur = first; ;) {
    const next = exts.find(
      (e) => e.after === cur.header && e.at !== undefined && !seen.has(e.header) && g.r() < 0.7,
    );
    if (!next) return out;
    const at = out.length - cur.size + next.at!;
    for (let i = 0; i < next.width!; i++)
      out[at + i] = Number((next.value >> BigInt(8 * (next.width! - 1 - i))) & 0xffn);
    seen.add(next.header);
    out.push(...userHeader(g, next));
    cur = next;
  }
}

const ip4 = (g: Gen): number[] => (g.r() < 0.6 ? g.pick(POOL4) : g.bytes(4));
const ip6 = (g: Gen): number[] => (g.r() < 0.6 ? g.pick(POOL6) : [0x20, 0x01, ...g.bytes(14)]);
const port = (g: Gen): number => (g.r() < 0.7 ? g.pick(PORTS) : g.n(65536));
const TCP_FLAGS = [0x02, 0x10, 0x12, 0x18, 0x11, 0x04];

/** User-header bytes: integer fields small (k or k<<8) half the time so keys hit tables. */
function userHeader(g: Gen, ext: UserExt): number[] {
  const out: number[] = [];
  for (const size of ext.fieldSizes) {
    if (size === 0 || g.r() < 0.3) continue;
    const v = g.r() < 0.5 ? g.n(SMALL_INTS) : g.n(SMALL_INTS) << 8;
    for (let i = size - 1; i >= 0; i--) out.push(i < 4 ? (v >>> (8 * i)) & 0xff : 0);
  }
  while (out.length < ext.size) out.push(g.n(256));
  return out.slice(0, ext.size);
}

/** Layers of one valid packet (before payload). */
function validLayers(g: Gen, exts: UserExt[]): { layers: Layer[]; payload: number[] } {
  const layers: Layer[] = [{ kind: "eth", src: mac(g), dst: g.r() < 0.5 ? mac(g) : "02:00:00:00:00:02" }];
  const vlans = g.r() < 0.7 ? 0 : g.r() < 0.6 ? 1 : 2;
  for (let i = 0; i < vlans; i++) {
    const tci = g.r() < 0.6 ? g.n(SMALL_INTS) | (g.n(8) << 13) : g.n(65536);
    layers.push({ kind: "vlan", tci, ...(i === 0 && vlans === 2 && g.r() < 0.5 ? { tpid: 0x88a8 } : {}) });
  }
  const l3 = g.r();
  let v6 = false;
  if (l3 < 0.55) {
    const opts =
      g.r() < 0.15
        ? g.pick([
            [1, 1, 1, 0],
            [1, 1, 1, 1, 1, 1, 1, 0],
          ])
        : [];
    const frag = g.r() < 0.1 ? g.pick([0x2000, 0x0000]) : 0x4000;
    layers.push({
      kind: "ipv4",
      src: ip4(g),
      dst: ip4(g),
      ttl: g.pick([0, 1, 2, 64, g.n(256)]),
      tos: g.n(256),
      id: g.n(65536),
      frag,
      options: opts,
    });
  } else if (l3 < 0.9) {
    v6 = true;
    layers.push({
      kind: "ipv6",
      src: ip6(g),
      dst: ip6(g),
      hop: g.pick([0, 1, 64, g.n(256)]),
      tc: g.n(256),
      flow: g.n(1 << 20),
    });
    const n = g.r() < 0.5 ? 0 : 1 + g.n(4);
    for (let i = 0; i < n; i++) {
      const type = g.pick([0, 43, 60, 44] as const);
      layers.push(
        type === 44
          ? { kind: "ext", type, fragOffset: 0, more: g.r() < 0.5 }
          : { kind: "ext", type, hdrlen: g.n(3) },
      );
    }
  } else {
    layers.push({ kind: "raw", bytes: g.bytes(g.n(30)) }); // unknown ethertype (0x88b5)
    return { layers, payload: [] };
  }
  const l4 = g.r();
  let payload = TEXTS.length > 0 && g.r() < 0.5 ? textPayload(g, TEXTS) : g.bytes(g.r() < 0.2 ? 0 : g.n(64));
  if (l4 < 0.4) {
    const ext = exts.find((e) => e.after === "udp" && g.r() < 0.5);
    const sport = port(g);
    let dport = port(g);
    if (ext?.field === "dport") dport = Number(ext.value);
    layers.push({
      kind: "udp",
      sport: ext?.field === "sport" ? Number(ext.value) : sport,
      dport,
      ...(!v6 && g.r() < 0.1 ? { csum: 0 } : {}),
    });
    if (ext) payload = [...userChain(g, exts, ext), ...payload.slice(0, 16)];
  } else if (l4 < 0.8) {
    const opts = g.r() < 0.2 ? g.bytes(4 * (1 + g.n(3))) : [];
    layers.push({
      kind: "tcp",
      sport: port(g),
      dport: port(g),
      flags: g.r() < 0.8 ? g.pick(TCP_FLAGS) : g.n(256),
      seq: g.n(2 ** 32),
      ack: g.n(2 ** 32),
      options: opts,
    });
  } else if (l4 < 0.95) {
    layers.push({ kind: "icmp", type: g.r() < 0.5 ? (v6 ? 128 : 8) : g.n(256), code: g.n(4) });
  }
  return { layers, payload };
}

/** One malformed packet: a valid one with one structural defect. */
function malformed(g: Gen, exts: UserExt[]): GenPacket {
  for (;;) {
    const { layers, payload } = validLayers(g, exts);
    const kinds = layers.map((l) => l.kind);
    const i4 = kinds.indexOf("ipv4");
    const i6 = kinds.indexOf("ipv6");
    const it = kinds.indexOf("tcp");
    const choice = g.n(9);
    const set = (i: number, extra: Record<string, unknown>): void => {
      layers[i] = { ...layers[i]!, ...extra } as Layer;
    };
    let what = "";
    if (choice === 0 && i4 >= 0) {
      const ihl = g.r() < 0.5 ? g.n(5) : 15;
      set(i4, { ihl });
      what = `ipv4 ihl=${ihl}`;
    } else if (choice === 1 && i4 >= 0) {
      const len = g.r() < 0.5 ? g.n(20) : 1500 + g.n(1000);
      set(i4, { len });
      what = `ipv4 len=${len}`;
    } else if (choice === 2 && i6 >= 0) {
      const plen = g.r() < 0.5 ? g.n(8) : 2000 + g.n(1000);
      set(i6, { plen });
      what = `ipv6 plen=${plen}`;
    } else if (choice === 3 && it >= 0) {
      const off = g.r() < 0.5 ? g.n(5) : 15;
      set(it, { off, options: [] });
      what = `tcp off=${off}`;
    } else if (choice === 4 && i4 >= 0) {
      set(i4, { frag: 1 + g.n(0x1fff) });
      what = "ipv4 non-first fragment";
    } else if (choice === 5 && i6 >= 0) {
      layers.splice(i6 + 1, 0, { kind: "ext", type: 44, fragOffset: 1 + g.n(100), more: true });
      what = "ipv6 non-first fragment";
    } else if (choice === 6 && i6 >= 0) {
      const b = buildPacket(layers, payload);
      layers.splice(i6 + 1, 0, { kind: "ext", type: 60, hdrlen: 200 + g.n(55) });
      const full = buildPacket(layers, payload);
      return {
        bytes: full.slice(0, Math.max(MIN_PACKET, b.length)),
        shape: `${kinds.join("/")} ext chain off the end`,
        malformed: true,
      };
    } else if (choice === 7 || choice === 8) {
      // Truncation: at a header boundary or inside a header (never below 14 bytes).
      const full = buildPacket(layers, payload);
      const bounds: number[] = [];
      for (let k = 1; k <= layers.length; k++) bounds.push(buildPacket(layers.slice(0, k)).length);
      const inVlan = kinds[1] === "vlan" && g.r() < 0.3; // a VLAN tag cut short
      const at = inVlan
        ? 15 + g.n(3)
        : choice === 7
          ? g.pick(bounds)
          : MIN_PACKET + g.n(Math.max(1, full.length - MIN_PACKET));
      const cut = Math.max(MIN_PACKET, Math.min(full.length, at));
      if (cut >= full.length) continue;
      return {
        bytes: full.slice(0, cut),
        shape: `${kinds.join("/")} truncated at ${cut}/${full.length}`,
        malformed: true,
      };
    } else continue;
    return { bytes: buildPacket(layers, payload), shape: `${kinds.join("/")} ${what}`, malformed: true };
  }
}

/** `count` packets from `seed`, about `malformedShare` of them malformed. */
export function generatePackets(
  program: CheckedProgram,
  count: number,
  seed: number,
  malformedShare = 0.3,
): GenPacket[] {
  const g = gen(seed);
  usePools(program);
  const exts = userExts(program);
  const out: GenPacket[] = [];
  for (let i = 0; i < count; i++) {
    if (g.r() < malformedShare) out.push(malformed(g, exts));
    else {
      const { layers, payload } = validLayers(g, exts);
      out.push({
        bytes: buildPacket(layers, payload),
        shape: layers.map((l) => l.kind).join("/"),
        malformed: false,
      });
    }
  }
  return out;
}
