// Packet builder for the stdlib's kernel tests. Builds a packet layer by layer and records a
// "chain": every header with its start and the end that must fit for nf_parse() to accept it,
// in parse order. The expected parse of the packet truncated to L bytes is then the chain
// applied up to the first item that does not fit (expectAt). Odd packets (ihl < 5, fragments,
// too many tags or extension headers) are built with `stop` items where parsing must end.
import { ipv4HeaderCsum, l4Csum, icmpCsum } from "../../lang/csum.js";

export const SLOTS = [
  "eth",
  "vlan",
  "vlan_inner",
  "ipv4",
  "ipv6",
  "tcp",
  "udp",
  "icmp",
  "icmpv6",
  "l2_end",
  "l3_end",
  "l4",
  "l4_end",
] as const;
export type Slot = (typeof SLOTS)[number];
export type Parsed = Record<Slot, number> & { l4proto: number };

type Item =
  | { kind: "eth" | "vlan" | "vlan_inner"; off: number; end: number }
  | { kind: "ipv4"; off: number; end: number; proto: number }
  | { kind: "ipv6"; off: number; end: number; next: number }
  | { kind: "ext"; off: number; end: number; next: number }
  | { kind: "tcp" | "udp" | "icmp" | "icmpv6"; off: number; end: number }
  | { kind: "stop" };

export function emptyParse(): Parsed {
  const p = { l4proto: 0 } as Parsed;
  for (const s of SLOTS) p[s] = -1;
  return p;
}

export class Pkt {
  bytes: number[] = [];
  chain: Item[] = [];
  private ip?: { v: 4 | 6; off: number };
  private l4?: { kind: "tcp" | "udp" | "icmp" | "icmpv6"; off: number };
  private vlans = 0;

  private push(...b: number[]): this {
    this.bytes.push(...b);
    return this;
  }
  private get off(): number {
    return this.bytes.length;
  }

  eth(type: number): this {
    this.chain.push({ kind: "eth", off: 0, end: 14 });
    return this.push(2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2, type >> 8, type & 0xff);
  }

  /** A VLAN tag; the third and later are not parsed (their ethertype ends the walk). */
  vlan(type: number, tci = 0x0064): this {
    this.vlans++;
    if (this.vlans <= 2)
      this.chain.push({ kind: this.vlans === 1 ? "vlan" : "vlan_inner", off: this.off, end: this.off + 4 });
    else this.chain.push({ kind: "stop" });
    return this.push(tci >> 8, tci & 0xff, type >> 8, type & 0xff);
  }

  ipv4(proto: number, opts: { ihl?: number; frag?: number; optionBytes?: number } = {}): this {
    const ihl = opts.ihl ?? 5 + (opts.optionBytes ?? 0) / 4;
    const off = this.off;
    if (ihl < 5) this.chain.push({ kind: "stop" });
    else this.chain.push({ kind: "ipv4", off, end: off + ihl * 4, proto });
    if ((opts.frag ?? 0) & 0x1fff) this.chain.push({ kind: "stop" });
    this.ip = { v: 4, off };
    const frag = opts.frag ?? 0x4000;
    this.push(0x40 | (ihl & 0xf), 0x10, 0, 0, 0x12, 0x34, frag >> 8, frag & 0xff, 64, proto, 0, 0);
    this.push(192, 168, 1, 10, 10, 0, 0, 1);
    for (let i = 20; i < Math.max(20, ihl * 4); i++) this.push(i === 20 ? 0x94 : 0x01); // options: RA-ish then NOPs
    return this;
  }

  ipv6(next: number): this {
    const off = this.off;
    this.chain.push({ kind: "ipv6", off, end: off + 40, next });
    this.ip = { v: 6, off };
    this.push(0x60, 0x00, 0x00, 0x00, 0, 0, next, 64);
    this.push(0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1);
    return this.push(0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2);
  }

  /** Extension header 0/43/60 (hdrlen units of 8 bytes after the first 8) or 44 (fragment). */
  ext(
    type: number,
    next: number,
    opts: { hdrlen?: number; fragOffset?: number; counted?: boolean } = {},
  ): this {
    const off = this.off;
    const len = type === 44 ? 8 : ((opts.hdrlen ?? 0) + 1) * 8;
    if (opts.counted === false) this.chain.push({ kind: "stop" });
    else this.chain.push({ kind: "ext", off, end: off + len, next });
    if (type === 44 && (opts.fragOffset ?? 0) !== 0) this.chain.push({ kind: "stop" });
    const fo = ((opts.fragOffset ?? 0) << 3) | 1;
    if (type === 44) return this.push(next, 0, fo >> 8, fo & 0xff, 0, 0, 0xbe, 0xef);
    this.push(next, opts.hdrlen ?? 0, 1, len - 4);
    for (let i = 4; i < len; i++) this.push(0);
    return this;
  }

  tcp(doff = 5): this {
    const off = this.off;
    if (doff < 5) this.chain.push({ kind: "stop" });
    else this.chain.push({ kind: "tcp", off, end: off + doff * 4 });
    this.l4 = { kind: "tcp", off };
    this.push(0x30, 0x39, 0x00, 0x50, 0, 0, 0, 1, 0, 0, 0, 0, doff << 4, 0x18, 0xff, 0xff, 0, 0, 0, 0);
    for (let i = 20; i < doff * 4; i++) this.push(1);
    return this;
  }

  udp(opts: { zeroCsum?: boolean } = {}): this {
    const off = this.off;
    this.chain.push({ kind: "udp", off, end: off + 8 });
    this.l4 = { kind: "udp", off };
    this.zeroUdp = opts.zeroCsum ?? false;
    return this.push(0xd4, 0x31, 0x00, 0x35, 0, 0, 0, 0);
  }
  private zeroUdp = false;

  icmp(): this {
    const v6 = this.ip?.v === 6;
    const off = this.off;
    this.chain.push({ kind: v6 ? "icmpv6" : "icmp", off, end: off + 4 });
    this.l4 = { kind: v6 ? "icmpv6" : "icmp", off };
    return this.push(v6 ? 128 : 8, 0, 0, 0, 0x12, 0x34, 0, 1);
  }

  payload(n: number, seed = 7): this {
    for (let i = 0; i < n; i++) this.push((seed * 31 + i * 17) & 0xff);
    return this;
  }

  /** Fills IP lengths and every checksum (full recompute), returns the packet bytes. */
  build(): Uint8Array {
    const b = new Uint8Array(this.bytes);
    const ip = this.ip;
    if (ip?.v === 4) {
      const tot = b.length - ip.off;
      b[ip.off + 2] = tot >> 8;
      b[ip.off + 3] = tot & 0xff;
      const c = ipv4HeaderCsum(b, ip.off);
      b[ip.off + 10] = c >> 8;
      b[ip.off + 11] = c & 0xff;
    } else if (ip?.v === 6) {
      const plen = b.length - ip.off - 40;
      b[ip.off + 4] = plen >> 8;
      b[ip.off + 5] = plen & 0xff;
    }
    const l4 = this.l4;
    if (ip && l4) {
      const len = b.length - l4.off;
      if (l4.kind === "udp") {
        b[l4.off + 4] = len >> 8;
        b[l4.off + 5] = len & 0xff;
      }
      const at = l4.kind === "tcp" ? 16 : l4.kind === "udp" ? 6 : 2;
      let c: number;
      if (l4.kind === "icmp") c = icmpCsum(b, l4.off, len);
      else {
        const [src, dst] =
          ip.v === 4
            ? [b.slice(ip.off + 12, ip.off + 16), b.slice(ip.off + 16, ip.off + 20)]
            : [b.slice(ip.off + 8, ip.off + 24), b.slice(ip.off + 24, ip.off + 40)];
        const proto = l4.kind === "tcp" ? 6 : l4.kind === "udp" ? 17 : 58;
        c =
          l4.kind === "udp" && this.zeroUdp
            ? 0
            : l4Csum(b, src, dst, proto, l4.off, len, at, l4.kind === "udp");
      }
      b[l4.off + at] = c >> 8;
      b[l4.off + at + 1] = c & 0xff;
    }
    return b;
  }

  /** The expected nf_parse(NF_H_ALL) result for the packet truncated to `len` bytes. */
  expectAt(len: number): Parsed {
    const p = emptyParse();
    // l2_end is known once the L2 walk is over: NULL while a VLAN tag is cut short.
    let l2 = -1;
    let complete = true;
    for (const it of this.chain) {
      const isL2 = it.kind === "eth" || it.kind === "vlan" || it.kind === "vlan_inner";
      if (!isL2) p.l2_end = l2;
      if (it.kind === "stop" || it.end > len) {
        complete = false;
        break;
      }
      switch (it.kind) {
        case "eth":
        case "vlan":
        case "vlan_inner":
          p[it.kind] = it.off;
          l2 = it.end;
          break;
        case "ipv4":
          p.ipv4 = it.off;
          p.l3_end = it.end;
          p.l4proto = it.proto;
          break;
        case "ipv6":
        case "ext":
          if (it.kind === "ipv6") p.ipv6 = it.off;
          p.l3_end = it.end;
          p.l4proto = it.next;
          break;
        case "tcp":
        case "udp":
        case "icmp":
        case "icmpv6":
          p[it.kind] = it.off;
          p.l4 = it.off;
          p.l4_end = it.end;
          break;
      }
    }
    if (complete) p.l2_end = l2;
    return p;
  }
}
