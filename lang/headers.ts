// Built-in headers: wire layout of every field and the parse graph. Shared by the checker (names,
// types, writability), the compiler (offsets, checksum updates) and the interpreter (byte semantics).
import { IP4, IP6, MAC, U16, U32, U8, type Ty } from "./types.js";

/** Which checksums a write to the field must update incrementally. */
export type CsumEffect = "none" | "ip4" | "l4" | "ip4+l4";

export interface HeaderField {
  name: string;
  ty: Ty;
  /** Byte offset of the field's first byte within the header. */
  offset: number;
  /** For sub-byte fields (read-only): bit shift and mask applied to the byte at `offset`. */
  bits?: { shift: number; mask: number };
  writable: boolean;
  csum: CsumEffect;
  /** Derived by the parser rather than read at `offset` (ipv6.proto). */
  derived?: boolean;
}

export interface HeaderDef {
  name: string;
  /** Fixed part in bytes that must be inside the packet for the header to be present. */
  size: number;
  fields: HeaderField[];
  builtin: boolean;
}

const f = (
  name: string,
  ty: Ty,
  offset: number,
  writable: boolean,
  csum: CsumEffect,
  extra: Partial<HeaderField> = {},
): HeaderField => ({
  name,
  ty,
  offset,
  writable,
  csum,
  ...extra,
});

const vlanFields = [f("tci", U16, 0, true, "none"), f("type", U16, 2, true, "none")];
const icmpFields = [
  f("type", U8, 0, true, "l4"),
  f("code", U8, 1, true, "l4"),
  f("csum", U16, 2, false, "none"),
];

export const BUILTIN_HEADERS: readonly HeaderDef[] = [
  {
    name: "eth",
    size: 14,
    builtin: true,
    fields: [
      f("dst", MAC, 0, true, "none"),
      f("src", MAC, 6, true, "none"),
      f("type", U16, 12, true, "none"),
    ],
  },
  { name: "vlan", size: 4, builtin: true, fields: vlanFields },
  { name: "vlan_inner", size: 4, builtin: true, fields: vlanFields },
  {
    name: "ipv4",
    size: 20,
    builtin: true,
    fields: [
      f("ihl", U8, 0, false, "none", { bits: { shift: 0, mask: 0x0f } }),
      f("tos", U8, 1, true, "ip4"),
      f("len", U16, 2, true, "ip4"),
      f("id", U16, 4, true, "ip4"),
      f("frag", U16, 6, true, "ip4"),
      f("ttl", U8, 8, true, "ip4"),
      f("proto", U8, 9, true, "ip4"),
      f("csum", U16, 10, false, "none"),
      f("src", IP4, 12, true, "ip4+l4"),
      f("dst", IP4, 16, true, "ip4+l4"),
    ],
  },
  {
    name: "ipv6",
    size: 40,
    builtin: true,
    fields: [
      f("tc", U8, 0, false, "none", { bits: { shift: 4, mask: 0xff } }), // spans bytes 0-1; read as (be16 >> 4) & 0xff
      f("plen", U16, 4, true, "none"),
      f("next", U8, 6, true, "none"),
      f("hop", U8, 7, true, "none"),
      f("src", IP6, 8, true, "l4"),
      f("dst", IP6, 24, true, "l4"),
      f("proto", U8, 6, false, "none", { derived: true }),
    ],
  },
  {
    name: "tcp",
    size: 20,
    builtin: true,
    fields: [
      f("sport", U16, 0, true, "l4"),
      f("dport", U16, 2, true, "l4"),
      f("seq", U32, 4, true, "l4"),
      f("ack", U32, 8, true, "l4"),
      f("off", U8, 12, false, "none", { bits: { shift: 4, mask: 0x0f } }),
      f("flags", U8, 13, true, "l4"),
      f("win", U16, 14, true, "l4"),
      f("csum", U16, 16, false, "none"),
      f("urg", U16, 18, true, "l4"),
    ],
  },
  {
    name: "udp",
    size: 8,
    builtin: true,
    fields: [
      f("sport", U16, 0, true, "l4"),
      f("dport", U16, 2, true, "l4"),
      f("len", U16, 4, true, "l4"),
      f("csum", U16, 6, false, "none"),
    ],
  },
  { name: "icmp", size: 4, builtin: true, fields: icmpFields },
  { name: "icmpv6", size: 4, builtin: true, fields: icmpFields },
];

/**
 * The parse graph, in order. Parsing is eager over the headers a program needs (and their
 * prerequisites) and stops at the first header that does not fit in the packet.
 *   eth; then up to two VLAN tags (ethertype 0x8100 or 0x88a8); then by ethertype 0x0800 ipv4
 *   (ihl >= 5, header length ihl*4 must fit; otherwise ipv4 is absent) or 0x86dd ipv6 (then skip up
 *   to 4 extension headers 0, 43, 60 (length (hdrlen+1)*8) and 44 (8 bytes); a non-first fragment
 *   has no L4); L4 only when ipv4 frag offset (frag & 0x1fff) is 0: proto 6 tcp (off >= 5 and off*4
 *   must fit), 17 udp, 1 icmp (ipv4), 58 icmpv6 (ipv6).
 *   User parse extensions run after their `after` header when the condition holds.
 */
export const ETH_P_IPV4 = 0x0800;
export const ETH_P_IPV6 = 0x86dd;
export const ETH_P_8021Q = 0x8100;
export const ETH_P_8021AD = 0x88a8;
export const IPV6_EXT_MAX = 4;

/** Headers a header depends on (all must be parsed before it). */
export const HEADER_PREREQS: Record<string, string[]> = {
  eth: [],
  vlan: ["eth"],
  vlan_inner: ["eth", "vlan"],
  ipv4: ["eth"],
  ipv6: ["eth"],
  tcp: ["eth"], // tcp/udp follow either IP version
  udp: ["eth"],
  icmp: ["eth", "ipv4"],
  icmpv6: ["eth", "ipv6"],
};

export function builtinHeader(name: string): HeaderDef | undefined {
  return BUILTIN_HEADERS.find((h) => h.name === name);
}
