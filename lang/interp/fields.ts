// Header field reads and writes on the packet bytes, with the checksum effects of record.
// Values on the wire are big-endian; the language sees host numbers. Sub-byte fields are
// read-only: (byte >> shift) & mask, or (be16 >> shift) & mask when shift + width exceeds a byte
// (ipv6.tc). ipv6.proto is derived by the parser.
//
// Checksum effects (lang/headers.ts `csum`), each an RFC 1624 incremental update (lang/csum.ts)
// applied with ONE delta over all 16-bit words of the field, the old bytes read before the write:
//   ip4     the IPv4 header checksum (ipv4 +10), word parity relative to the ipv4 header.
//   l4      on tcp/udp/icmp/icmpv6 fields: that header's own checksum (tcp +16, udp +6, icmp +2);
//           udp.len appears twice in the UDP sum (header and pseudo-header): delta applied twice.
//           on ipv6.src/dst: the checksum of the parsed tcp, udp or icmpv6 header (all three
//           include the IPv6 pseudo-header), none when no L4 header is present.
//   ip4+l4  ipv4.src/dst: the IPv4 checksum, then the parsed tcp or udp checksum (never icmp:
//           the ICMPv4 checksum covers only the ICMP message).
// UDP rules (RFC 768, both IP versions, as nf_udp_csum_*): a zero UDP checksum stays zero; an
// update that yields 0 stores 0xffff.
import { csumReplace1, csumReplaceBytes, udpCsum } from "../csum.js";
import { builtinHeader, type HeaderDef, type HeaderField } from "../headers.js";
import { decode, encode, readUint, writeUint, type RV } from "./layout.js";
import type { Parsed } from "./parse.js";

export interface FieldCtx {
  pkt: Uint8Array;
  parsed: Parsed;
  userHeaders: readonly HeaderDef[];
}

export function headerDef(ctx: { userHeaders: readonly HeaderDef[] }, name: string): HeaderDef {
  const d = builtinHeader(name) ?? ctx.userHeaders.find((h) => h.name === name);
  if (!d) throw new Error(`interp: unknown header \`${name}\``);
  return d;
}

function fieldDef(def: HeaderDef, field: string): HeaderField {
  const f = def.fields.find((x) => x.name === field);
  if (!f) throw new Error(`interp: header \`${def.name}\` has no field \`${field}\``);
  return f;
}

function start(ctx: FieldCtx, header: string): number {
  const at = ctx.parsed.at.get(header);
  if (at === undefined) throw new Error(`interp: header \`${header}\` read while absent (checker bug)`);
  return at;
}

export function readField(ctx: FieldCtx, header: string, field: string): RV {
  const def = headerDef(ctx, header);
  const f = fieldDef(def, field);
  const at = start(ctx, header);
  if (f.derived) return BigInt(ctx.parsed.l4proto);
  if (f.bits) {
    const width = Math.log2(f.bits.mask + 1);
    const raw =
      f.bits.shift + width > 8 ? readUint(ctx.pkt, at + f.offset, 2, true) : BigInt(ctx.pkt[at + f.offset]!);
    return (raw >> BigInt(f.bits.shift)) & BigInt(f.bits.mask);
  }
  if (f.ty.kind === "bool") return ctx.pkt[at + f.offset] !== 0;
  return decode(f.ty, ctx.pkt, at + f.offset, true);
}

/** Wire bytes of a field value (big-endian integers). */
function wireBytes(f: HeaderField, v: RV): Uint8Array {
  if (f.ty.kind !== "int") return encode(f.ty, v);
  const out = new Uint8Array(f.ty.bits / 8);
  writeUint(out, 0, out.length, v as bigint, true);
  return out;
}

interface CsumSite {
  at: number; // checksum field offset in the packet
  base: number; // start of the checksummed header (word parity)
  udp: boolean;
}

function site(ctx: FieldCtx, header: string, csumAt: number, udp: boolean): CsumSite | undefined {
  const at = ctx.parsed.at.get(header);
  return at === undefined ? undefined : { at: at + csumAt, base: at, udp };
}

function sitesFor(ctx: FieldCtx, header: string, f: HeaderField): CsumSite[] {
  const l4Of = (h: string): CsumSite | undefined =>
    h === "tcp"
      ? site(ctx, "tcp", 16, false)
      : h === "udp"
        ? site(ctx, "udp", 6, true)
        : site(ctx, h, 2, false);
  const out: (CsumSite | undefined)[] = [];
  switch (f.csum) {
    case "none":
      break;
    case "ip4":
      out.push(site(ctx, "ipv4", 10, false));
      break;
    case "l4":
      if (header === "ipv6") out.push(l4Of("tcp"), l4Of("udp"), l4Of("icmpv6"));
      else out.push(l4Of(header));
      break;
    case "ip4+l4":
      out.push(site(ctx, "ipv4", 10, false), l4Of("tcp"), l4Of("udp"));
      break;
  }
  return out.filter((s): s is CsumSite => s !== undefined);
}

function updateOne(
  pkt: Uint8Array,
  s: CsumSite,
  fieldAt: number,
  from: Uint8Array,
  to: Uint8Array,
  twice: boolean,
): void {
  const hc = (pkt[s.at]! << 8) | pkt[s.at + 1]!;
  let upd: (c: number) => number;
  if (from.length === 1) {
    const odd = (fieldAt - s.base) % 2 !== 0;
    upd = (c) => csumReplace1(c, from[0]!, to[0]!, odd);
  } else {
    const f = twice ? concat(from, from) : from;
    const t = twice ? concat(to, to) : to;
    upd = (c) => csumReplaceBytes(c, f, t);
  }
  const next = s.udp ? udpCsum(hc, upd) : upd(hc);
  pkt[s.at] = next >>> 8;
  pkt[s.at + 1] = next & 0xff;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

export function writeField(ctx: FieldCtx, header: string, field: string, v: RV): void {
  const def = headerDef(ctx, header);
  const f = fieldDef(def, field);
  if (!f.writable || f.bits || f.derived)
    throw new Error(`interp: write to read-only field \`${header}.${field}\` (checker bug)`);
  const fieldAt = start(ctx, header) + f.offset;
  const to = wireBytes(f, v);
  const from = ctx.pkt.slice(fieldAt, fieldAt + to.length);
  const twice = header === "udp" && field === "len";
  for (const s of sitesFor(ctx, header, f)) updateOne(ctx.pkt, s, fieldAt, from, to, twice);
  ctx.pkt.set(to, fieldAt);
}
