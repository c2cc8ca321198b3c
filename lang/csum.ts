// Internet checksums, bit-identical to stdlib/include/nf/csum.h. The incremental updates are
// RFC 1624 eqn 3, HC' = ~(~HC + ~m + m'), over big-endian 16-bit words with end-around carry;
// C does the same on raw little-endian words, which gives the same bytes (the one's complement
// sum commutes with byte swapping). The full recomputes are for test assertions.
// Values here are numbers as read big-endian from the packet (a u16 checksum, a u32 address).

function fold(s: number): number {
  s = (s & 0xffff) + (s >>> 16);
  s = (s & 0xffff) + (s >>> 16);
  return s;
}

const not16 = (x: number): number => ~x & 0xffff;

/** ~m + m' summed over the big-endian words of `from`/`to` (equal, even lengths ≤ 32 bytes). */
function deltaBytes(from: Uint8Array, to: Uint8Array): number {
  if (from.length !== to.length || from.length % 2 !== 0)
    throw new RangeError("csum: from/to must be equal even lengths");
  let d = 0;
  for (let i = 0; i < from.length; i += 2) {
    d += not16((from[i]! << 8) | from[i + 1]!) + ((to[i]! << 8) | to[i + 1]!);
  }
  return d;
}

function apply(hc: number, delta: number): number {
  return not16(fold(not16(hc) + delta));
}

/** nf_csum_replace2: a 16-bit word (at an even offset) changes from `from` to `to`. */
export function csumReplace2(hc: number, from: number, to: number): number {
  return apply(hc, not16(from) + (to & 0xffff));
}

/** nf_csum_replace1: a byte changes; `odd` = the byte is at an odd offset (low byte of its word). */
export function csumReplace1(hc: number, from: number, to: number, odd: boolean): number {
  return odd
    ? csumReplace2(hc, from & 0xff, to & 0xff)
    : csumReplace2(hc, (from & 0xff) << 8, (to & 0xff) << 8);
}

/** nf_csum_replace4: a 32-bit value (two words, even offset) changes. */
export function csumReplace4(hc: number, from: number, to: number): number {
  return apply(hc, not16(from >>> 16) + not16(from & 0xffff) + ((to >>> 16) & 0xffff) + (to & 0xffff));
}

/** nf_csum_replace16 (and any even-length field): the bytes `from` become `to`. */
export function csumReplaceBytes(hc: number, from: Uint8Array, to: Uint8Array): number {
  return apply(hc, deltaBytes(from, to));
}

/** UDP rules (RFC 768) around an update: a zero checksum stays zero, a computed 0 becomes 0xffff. */
export function udpCsum(hc: number, update: (hc: number) => number): number {
  if (hc === 0) return 0;
  const r = update(hc);
  return r === 0 ? 0xffff : r;
}

export const udpCsumReplace2 = (hc: number, from: number, to: number): number =>
  udpCsum(hc, (c) => csumReplace2(c, from, to));
export const udpCsumReplace4 = (hc: number, from: number, to: number): number =>
  udpCsum(hc, (c) => csumReplace4(c, from, to));
export const udpCsumReplaceBytes = (hc: number, from: Uint8Array, to: Uint8Array): number =>
  udpCsum(hc, (c) => csumReplaceBytes(c, from, to));

/** A checksum that covers a written field (what generated C updates for one field write). */
export interface CsumSite {
  /** Absolute offset of the 16-bit checksum field in the packet. */
  off: number;
  /** Where the checksummed data starts (header start): word parity is relative to it. */
  base: number;
  /** UDP rules: a zero checksum stays zero, a computed 0 becomes 0xffff. */
  udp: boolean;
}

/**
 * Applies a field write to a packet and updates every covering checksum in place, exactly as
 * generated C does (each site updated from the old bytes, then the field written). Fields must
 * be 1, 2, 4 or 16 bytes; 2+ byte fields must be at an even offset from each site's `base`.
 */
export function writeFieldUpdatingCsum(
  pkt: Uint8Array,
  fieldOff: number,
  value: Uint8Array,
  sites: readonly CsumSite[],
): void {
  const old = pkt.slice(fieldOff, fieldOff + value.length);
  for (const site of sites) {
    const rel = fieldOff - site.base;
    const hc = (pkt[site.off]! << 8) | pkt[site.off + 1]!;
    let update: (c: number) => number;
    if (value.length === 1) update = (c) => csumReplace1(c, old[0]!, value[0]!, rel % 2 !== 0);
    else if (rel % 2 !== 0) throw new RangeError("csum: multi-byte field at an odd offset");
    else update = (c) => csumReplaceBytes(c, old, value);
    const next = site.udp ? udpCsum(hc, update) : update(hc);
    pkt[site.off] = next >>> 8;
    pkt[site.off + 1] = next & 0xff;
  }
  pkt.set(value, fieldOff);
}

/** One's complement sum (folded, not inverted) of `bytes` as big-endian words; odd tail padded. */
export function onesSum(bytes: Uint8Array, initial = 0): number {
  let s = initial;
  for (let i = 0; i < bytes.length; i += 2) {
    s += (bytes[i]! << 8) | (i + 1 < bytes.length ? bytes[i + 1]! : 0);
    if (s > 0xffffff) s = fold(s);
  }
  return fold(s);
}

/** Full IPv4 header checksum of pkt[off .. off+ihl*4) with the check field taken as zero. */
export function ipv4HeaderCsum(pkt: Uint8Array, off: number): number {
  const len = (pkt[off]! & 0x0f) * 4;
  const hdr = pkt.slice(off, off + len);
  hdr[10] = 0;
  hdr[11] = 0;
  return not16(onesSum(hdr));
}

/**
 * Full TCP/UDP/ICMPv6 checksum with the IPv4 or IPv6 pseudo-header; `csumAt` is the checksum
 * field's offset within the L4 segment (taken as zero). `src`/`dst` are 4 or 16 bytes. The
 * segment is pkt[l4Off .. l4Off+l4Len). A UDP result of 0 is returned as 0xffff when `udp`.
 */
export function l4Csum(
  pkt: Uint8Array,
  src: Uint8Array,
  dst: Uint8Array,
  proto: number,
  l4Off: number,
  l4Len: number,
  csumAt: number,
  udp = false,
): number {
  const seg = pkt.slice(l4Off, l4Off + l4Len);
  seg[csumAt] = 0;
  seg[csumAt + 1] = 0;
  let s = onesSum(src) + onesSum(dst) + proto + (l4Len >>> 16) + (l4Len & 0xffff);
  s = onesSum(seg, s);
  const r = not16(s);
  return udp && r === 0 ? 0xffff : r;
}

/** Full ICMPv4 checksum over pkt[off .. off+len) with the field at off+2 taken as zero. */
export function icmpCsum(pkt: Uint8Array, off: number, len: number): number {
  const seg = pkt.slice(off, off + len);
  seg[2] = 0;
  seg[3] = 0;
  return not16(onesSum(seg));
}
