// Packet builders for tests: data in, bytes out. `buildPacket(layers)` lays the layers out in
// order, fills every "next protocol" field from the following layer (unless given), the IPv4
// total length / IPv6 payload length / UDP length, and correct checksums (IPv4 header, TCP/UDP/
// ICMPv6 with the pseudo-header, ICMPv4 over the message). Any field given explicitly wins, so
// malformed packets are easy: `{ kind: "ipv4", ihl: 4 }`, `{ kind: "udp", csum: 0 }`.
import { icmpCsum, ipv4HeaderCsum, l4Csum } from "../csum.js";

export type Addr = string | readonly number[];

export type Layer =
  | { kind: "eth"; dst?: Addr; src?: Addr; type?: number }
  | { kind: "vlan"; tci?: number; type?: number; tpid?: number } // tpid goes into the previous type field
  | {
      kind: "ipv4";
      src?: Addr;
      dst?: Addr;
      tos?: number;
      id?: number;
      frag?: number;
      ttl?: number;
      proto?: number;
      options?: readonly number[];
      ihl?: number;
      len?: number;
      csum?: number;
    }
  | {
      kind: "ipv6";
      src?: Addr;
      dst?: Addr;
      tc?: number;
      flow?: number;
      next?: number;
      hop?: number;
      plen?: number;
    }
  | {
      kind: "ext";
      type: 0 | 43 | 60 | 44;
      next?: number;
      hdrlen?: number;
      fragOffset?: number;
      more?: boolean;
    }
  | {
      kind: "tcp";
      sport?: number;
      dport?: number;
      seq?: number;
      ack?: number;
      off?: number;
      flags?: number;
      win?: number;
      urg?: number;
      options?: readonly number[];
      csum?: number;
    }
  | { kind: "udp"; sport?: number; dport?: number; len?: number; csum?: number }
  | { kind: "icmp"; type?: number; code?: number; rest?: readonly number[]; csum?: number } // ICMPv4, or ICMPv6 below ipv6
  | { kind: "raw"; bytes: readonly number[] };

/** Parses "10.0.0.1", "2001:db8::1" or "02:00:00:00:00:01" (or passes a byte array through). */
export function addr(a: Addr): number[] {
  if (typeof a !== "string") return [...a];
  if (/^\d+\.\d+\.\d+\.\d+$/.test(a)) return a.split(".").map(Number);
  if (/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/i.test(a)) return a.split(":").map((x) => parseInt(x, 16));
  const [head, tail] = a.includes("::") ? a.split("::") : [a, undefined];
  const words = (s: string | undefined): number[] => (s ? s.split(":").map((x) => parseInt(x, 16)) : []);
  const h = words(head);
  const t = words(tail);
  const all = tail === undefined ? h : [...h, ...new Array<number>(8 - h.length - t.length).fill(0), ...t];
  if (all.length !== 8) throw new Error(`packet-build: bad address ${a}`);
  return all.flatMap((w) => [w >> 8, w & 0xff]);
}

const u16 = (v: number): number[] => [(v >> 8) & 0xff, v & 0xff];
const u32 = (v: number): number[] => [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];

const ETHERTYPE: Record<string, number> = { vlan: 0x8100, ipv4: 0x0800, ipv6: 0x86dd };
function ipProto(next: Layer | undefined, v6: boolean): number {
  if (!next) return 59; // no next header
  switch (next.kind) {
    case "ext":
      return next.type;
    case "tcp":
      return 6;
    case "udp":
      return 17;
    case "icmp":
      return v6 ? 58 : 1;
    default:
      return 59;
  }
}

interface Placed {
  layer: Layer;
  off: number;
  len: number;
}

export function buildPacket(layers: readonly Layer[], payload: readonly number[] = []): Uint8Array {
  const bytes: number[] = [];
  const placed: Placed[] = [];
  let v6 = false;
  layers.forEach((l, i) => {
    const next = layers[i + 1];
    const off = bytes.length;
    const nextType = (): number =>
      next?.kind === "vlan" ? (next.tpid ?? 0x8100) : (ETHERTYPE[next?.kind ?? ""] ?? 0x88b5);
    switch (l.kind) {
      case "eth":
        bytes.push(
          ...addr(l.dst ?? "02:00:00:00:00:02"),
          ...addr(l.src ?? "02:00:00:00:00:01"),
          ...u16(l.type ?? nextType()),
        );
        break;
      case "vlan":
        bytes.push(...u16(l.tci ?? 100), ...u16(l.type ?? nextType()));
        break;
      case "ipv4": {
        const opts = l.options ?? [];
        const ihl = l.ihl ?? 5 + Math.ceil(opts.length / 4);
        bytes.push(
          0x40 | (ihl & 0xf),
          l.tos ?? 0,
          0,
          0,
          ...u16(l.id ?? 0x1234),
          ...u16(l.frag ?? 0x4000),
          l.ttl ?? 64,
          l.proto ?? ipProto(next, false),
          0,
          0,
        );
        bytes.push(...addr(l.src ?? "10.0.0.1"), ...addr(l.dst ?? "10.0.0.2"), ...opts);
        while ((bytes.length - off) % 4 !== 0) bytes.push(0);
        break;
      }
      case "ipv6":
        v6 = true;
        bytes.push(
          0x60 | ((l.tc ?? 0) >> 4),
          (((l.tc ?? 0) & 0xf) << 4) | (((l.flow ?? 0) >> 16) & 0xf),
          ...u16((l.flow ?? 0) & 0xffff),
        );
        bytes.push(
          0,
          0,
          l.next ?? ipProto(next, true),
          l.hop ?? 64,
          ...addr(l.src ?? "2001:db8::1"),
          ...addr(l.dst ?? "2001:db8::2"),
        );
        break;
      case "ext": {
        const nh = l.next ?? ipProto(next, true);
        if (l.type === 44)
          bytes.push(nh, 0, ...u16(((l.fragOffset ?? 0) << 3) | (l.more ? 1 : 0)), 0xde, 0xad, 0xbe, 0xef);
        else {
          const len = ((l.hdrlen ?? 0) + 1) * 8;
          bytes.push(nh, l.hdrlen ?? 0, 1, len - 4, ...new Array<number>(len - 4).fill(0));
        }
        break;
      }
      case "tcp": {
        const opts = l.options ?? [];
        const off4 = l.off ?? 5 + Math.ceil(opts.length / 4);
        bytes.push(
          ...u16(l.sport ?? 1234),
          ...u16(l.dport ?? 80),
          ...u32(l.seq ?? 1),
          ...u32(l.ack ?? 0),
          off4 << 4,
          l.flags ?? 0x18,
          ...u16(l.win ?? 65535),
          0,
          0,
          ...u16(l.urg ?? 0),
        );
        bytes.push(...opts);
        while (bytes.length - off < off4 * 4) bytes.push(1); // NOP padding up to `off`
        break;
      }
      case "udp":
        bytes.push(...u16(l.sport ?? 5353), ...u16(l.dport ?? 53), 0, 0, 0, 0);
        break;
      case "icmp":
        bytes.push(l.type ?? (v6 ? 128 : 8), l.code ?? 0, 0, 0, ...(l.rest ?? [0x12, 0x34, 0, 1]));
        break;
      case "raw":
        bytes.push(...l.bytes);
        break;
    }
    placed.push({ layer: l, off, len: bytes.length - off });
  });
  bytes.push(...payload);
  const b = new Uint8Array(bytes);
  fillLengthsAndChecksums(b, placed);
  return b;
}

function put16(b: Uint8Array, at: number, v: number): void {
  b[at] = (v >> 8) & 0xff;
  b[at + 1] = v & 0xff;
}

function fillLengthsAndChecksums(b: Uint8Array, placed: Placed[]): void {
  const ip = placed.find((p) => p.layer.kind === "ipv4" || p.layer.kind === "ipv6");
  const l4 = placed.find((p) => p.layer.kind === "tcp" || p.layer.kind === "udp" || p.layer.kind === "icmp");
  if (l4?.layer.kind === "udp") put16(b, l4.off + 4, l4.layer.len ?? b.length - l4.off);
  if (ip?.layer.kind === "ipv4") {
    put16(b, ip.off + 2, ip.layer.len ?? b.length - ip.off);
  } else if (ip?.layer.kind === "ipv6") {
    put16(b, ip.off + 4, ip.layer.plen ?? b.length - ip.off - 40);
  }
  if (l4 && ip) {
    const v6 = ip.layer.kind === "ipv6";
    const [src, dst] = v6
      ? [b.slice(ip.off + 8, ip.off + 24), b.slice(ip.off + 24, ip.off + 40)]
      : [b.slice(ip.off + 12, ip.off + 16), b.slice(ip.off + 16, ip.off + 20)];
    const len = b.length - l4.off;
    const l = l4.layer;
    if (l.kind === "tcp") put16(b, l4.off + 16, l.csum ?? l4Csum(b, src, dst, 6, l4.off, len, 16));
    else if (l.kind === "udp") put16(b, l4.off + 6, l.csum ?? l4Csum(b, src, dst, 17, l4.off, len, 6, true));
    else if (l.kind === "icmp")
      put16(
        b,
        l4.off + 2,
        l.csum ?? (v6 ? l4Csum(b, src, dst, 58, l4.off, len, 2) : icmpCsum(b, l4.off, len)),
      );
  }
  if (ip?.layer.kind === "ipv4") {
    const ihlBytes = (b[ip.off]! & 0xf) * 4;
    const ok = ihlBytes >= 20 && ip.off + ihlBytes <= b.length;
    put16(b, ip.off + 10, ip.layer.csum ?? (ok ? ipv4HeaderCsum(b, ip.off) : 0));
  }
}
