// Header access: the C pointer of each header, field reads (wire → host number: bpf_ntohs /
// bpf_ntohl for u16/u32; ip4/ip6/mac stay in network order; sub-byte fields via the kernel
// bitfields), and field writes with incremental checksum updates per the field's `csum` effect
// (lang/headers.ts): IPv4 header checksum; TCP/UDP/ICMP checksum, with the pseudo-header for
// address writes (a zero UDP checksum over IPv4 stays zero: nf_udp_csum_replace*).
import type { HeaderDef, HeaderField } from "../../lang/headers.js";
import { builtinHeader } from "../../lang/headers.js";
import type { Span } from "../../lang/span.js";
import type { Ty } from "../../lang/types.js";
import { addr, assign, bin, bool, call, cast, decl, ifStmt, int, v } from "../ir/build.js";
import {
  bytesStruct,
  C_BE16,
  C_BE32,
  C_BOOL,
  C_IP6,
  C_MAC,
  C_U16,
  C_U32,
  C_U64,
  C_U8,
  cDecl,
  ptrTo,
  type CType,
} from "../ir/ctype.js";
import type { IExpr, IrParseExt, IStmt } from "../ir/ir.js";
import { member as cMember, PKT } from "../names/allocator.js";
import { bug, type Lowerer } from "./context.js";
import { valueExpr } from "./values.js";

const KERNEL_STRUCT: Record<string, string> = {
  eth: "ethhdr",
  vlan: "nf_vlan",
  vlan_inner: "nf_vlan",
  ipv4: "iphdr",
  ipv6: "ipv6hdr",
  tcp: "tcphdr",
  udp: "udphdr",
  icmp: "nf_icmp",
  icmpv6: "nf_icmp",
};

/** Kernel struct member of each built-in field (absent: read at the field's byte offset). */
const MEMBERS: Record<string, Record<string, string>> = {
  eth: { dst: "h_dest", src: "h_source", type: "h_proto" },
  vlan: { tci: "tci", type: "type" },
  vlan_inner: { tci: "tci", type: "type" },
  ipv4: {
    ihl: "ihl",
    tos: "tos",
    len: "tot_len",
    id: "id",
    frag: "frag_off",
    ttl: "ttl",
    proto: "protocol",
    csum: "check",
    src: "saddr",
    dst: "daddr",
  },
  ipv6: { plen: "payload_len", next: "nexthdr", hop: "hop_limit", src: "saddr", dst: "daddr" },
  tcp: {
    sport: "source",
    dport: "dest",
    seq: "seq",
    ack: "ack_seq",
    off: "doff",
    win: "window",
    csum: "check",
    urg: "urg_ptr",
  },
  udp: { sport: "source", dport: "dest", len: "len", csum: "check" },
  icmp: { type: "type", code: "code", csum: "csum" },
  icmpv6: { type: "type", code: "code", csum: "csum" },
};

/** The struct tag of a user header (its name where safe). */
export function userHeaderStruct(cx: Lowerer, name: string): string {
  return cx.names.userTag(`header:${name}`, name);
}

/** The pointer variable of a parsed user header: `nf_hdr_<name>`. */
export function userHeaderVar(cx: Lowerer, name: string): string {
  return cx.names.gen(`hdr_${name}`, `hdrptr:${name}`);
}

export function headerDef(cx: Lowerer, name: string): HeaderDef {
  const d = builtinHeader(name) ?? cx.prog.headers.find((h) => h.name === name);
  if (!d) bug(`unknown header \`${name}\``);
  return d;
}

/** The header's pointer (NULL when absent): `nf_h.ipv4`, or `nf_hdr_<name>` for user headers. */
export function hdrPtr(cx: Lowerer, header: string, span: Span): IExpr {
  const def = headerDef(cx, header);
  const st = def.builtin ? KERNEL_STRUCT[header]! : userHeaderStruct(cx, header);
  const cvar = def.builtin ? `${PKT}.${header}` : userHeaderVar(cx, header);
  return { kind: "hdr", header, cvar, ty: ptrTo({ kind: "opaque", name: `struct ${st}` }), span };
}

/** The C type of a field as stored on the wire. */
export function wireType(t: Ty): CType {
  switch (t.kind) {
    case "int":
      return t.bits === 8 ? C_U8 : { kind: "be", bits: t.bits };
    case "bool":
      return C_U8;
    case "ip4":
      return C_BE32;
    case "ip6":
      return C_IP6;
    case "mac":
      return C_MAC;
    case "bytes":
      return bytesStruct(t.len);
    default:
      return bug(`header field of type ${t.kind}`);
  }
}

function fieldDef(cx: Lowerer, header: string, field: string): HeaderField {
  const f = headerDef(cx, header).fields.find((x) => x.name === field);
  if (!f) bug(`unknown field \`${header}.${field}\``);
  return f;
}

/** The field's storage in the packet (an lvalue of its wire type). */
function pktField(cx: Lowerer, header: string, f: HeaderField, span: Span): IExpr {
  const def = headerDef(cx, header);
  const member = def.builtin ? MEMBERS[header]?.[f.name] : cMember(f.name);
  const ty = f.bits ? C_U8 : wireType(f.ty);
  return {
    kind: "pkt",
    header,
    ptr: hdrPtr(cx, header, span),
    offset: f.offset,
    ...(member ? { member } : {}),
    ty,
    span,
  };
}

/** Wire value → host value. */
function fromWire(e: IExpr, t: Ty, span: Span): IExpr {
  if (t.kind !== "int" || t.bits === 8) return e;
  if (t.bits === 16) return call("bpf_ntohs", [e], C_U16, span);
  if (t.bits === 32) return call("bpf_ntohl", [e], C_U32, span);
  return call("bpf_be64_to_cpu", [e], C_U64, span);
}

/** Host value → wire value. */
export function toWire(e: IExpr, t: Ty, span: Span): IExpr {
  if (t.kind !== "int" || t.bits === 8) return e;
  if (t.bits === 16) return call("bpf_htons", [e], C_BE16, span);
  if (t.bits === 32) return call("bpf_htonl", [e], C_BE32, span);
  return call("bpf_cpu_to_be64", [e], { kind: "be", bits: 64 }, span);
}

/** `header.field` as a value (the header is proven present by the checker). */
export function readField(cx: Lowerer, header: string, field: string, span: Span): IExpr {
  const f = fieldDef(cx, header, field);
  if (f.derived) return v(`${PKT}.l4proto`, C_U8, span); // ipv6.proto: where the extension-header walk stopped
  if (header === "ipv6" && field === "tc") {
    // traffic class: 4 bits of byte 0 and 4 of byte 1 -> (be16 at 0 >> 4) & 0xff
    const w: IExpr = { kind: "pkt", header, ptr: hdrPtr(cx, header, span), offset: 0, ty: C_BE16, span };
    return cast(bin(">>", call("bpf_ntohs", [w], C_U16, span), int(4, C_U32, span), C_U32, span), C_U8, span);
  }
  const p = pktField(cx, header, f, span);
  if (f.bits) return cast(p, C_U8, span); // ihl / doff: kernel bitfields
  return fromWire(p, f.ty, span);
}

/** Where a checksum lives and which helper family updates it. */
interface CsumTarget {
  header: string;
  sum: (cx: Lowerer, span: Span) => IExpr;
  udp: boolean;
}

const sumAt = (header: string, offset: number, member: string): CsumTarget => ({
  header,
  udp: header === "udp",
  sum: (cx, span) => ({
    kind: "pkt",
    header,
    ptr: hdrPtr(cx, header, span),
    offset,
    member,
    ty: C_BE16,
    span,
  }),
});
const IP4_SUM = sumAt("ipv4", 10, "check");
const TCP_SUM = sumAt("tcp", 16, "check");
const UDP_SUM = sumAt("udp", 6, "check");
const ICMP_SUM = sumAt("icmp", 2, "csum");
const ICMP6_SUM = sumAt("icmpv6", 2, "csum");

/** The L4 checksums a write to `header.field` must update; several entries = first present one. */
function l4Targets(header: string): CsumTarget[] {
  switch (header) {
    case "ipv4":
      return [TCP_SUM, UDP_SUM];
    case "ipv6":
      return [TCP_SUM, UDP_SUM, ICMP6_SUM];
    case "tcp":
      return [TCP_SUM];
    case "udp":
      return [UDP_SUM];
    case "icmp":
      return [ICMP_SUM];
    case "icmpv6":
      return [ICMP6_SUM];
    default:
      return [];
  }
}

/**
 * `header.field = value` (value is the host number / address to store). Emits the store and,
 * per the field's csum effect, the incremental checksum updates (old and new in wire order).
 */
export function writeField(
  cx: Lowerer,
  header: string,
  field: string,
  value: IExpr,
  span: Span,
  out: IStmt[],
): void {
  const f = fieldDef(cx, header, field);
  if (!f.writable || f.bits || f.derived) bug(`write to read-only field \`${header}.${field}\``, span);
  const p = pktField(cx, header, f, span);
  const targets: CsumTarget[] = [];
  if (f.csum === "ip4" || f.csum === "ip4+l4") targets.push(IP4_SUM);
  const l4 = f.csum === "l4" || f.csum === "ip4+l4" ? l4Targets(header) : [];
  if (targets.length === 0 && l4.length === 0) {
    out.push(assign(p, toWire(value, f.ty, span), span));
    return;
  }
  const size = f.ty.kind === "ip6" ? 16 : f.ty.kind === "ip4" ? 4 : f.ty.kind === "int" ? f.ty.bits / 8 : 0;
  if (size === 0 || size === 8) bug(`checksummed field of type ${f.ty.kind}`, span);
  const wt = p.ty;
  const oldName = cx.tmp("old");
  const newName = cx.tmp("new");
  out.push(decl(oldName, wt, span, p));
  out.push(decl(newName, wt, span, toWire(value, f.ty, span)));
  const oldV = v(oldName, wt, span);
  const newV = v(newName, wt, span);
  out.push(assign(p, newV, span));
  const update = (t: CsumTarget): IStmt => {
    const sum = t.sum(cx, span);
    if (size === 1)
      return {
        kind: "csum",
        fn: "nf_csum_replace1",
        sum,
        args: [oldV, newV, bool(f.offset % 2 === 1, span)],
        span,
      };
    const prefix = t.udp ? "nf_udp_csum_replace" : "nf_csum_replace";
    const args = size === 16 ? [addr(oldV, span), addr(newV, span)] : [oldV, newV];
    return { kind: "csum", fn: `${prefix}${size}`, sum, args, span };
  };
  for (const t of targets) out.push(update(t));
  if (l4.length === 0) return;
  if (header === "udp" && field === "len") {
    // The length is summed twice (UDP header and pseudo-header): replace the 4 bytes
    // old||old with new||new at once, exactly as lang/interp does (raw value * 0x10001).
    const twice = (x: IExpr): IExpr =>
      cast(bin("*", cast(x, C_U32, span), int(0x10001, C_U32, span), C_U32, span), C_BE32, span);
    out.push({
      kind: "csum",
      fn: "nf_udp_csum_replace4",
      sum: UDP_SUM.sum(cx, span),
      args: [twice(oldV), twice(newV)],
      span,
    });
    return;
  }
  if (l4.length === 1 && l4[0]!.header === header) {
    out.push(update(l4[0]!));
    return;
  }
  // an address write: fix the pseudo-header sum of whichever L4 header was parsed
  let chain: IStmt[] = [];
  for (const t of [...l4].reverse()) chain = [ifStmt(hdrPtr(cx, t.header, span), [update(t)], chain, span)];
  out.push(...chain);
}

/** C struct of a user header: packed, multi-byte integers stored big-endian. Every member has
 *  an alignment-1 type (nf/common.h `nf_ube32`, `nf_uip6`, …) so that taking its address, as
 *  comparisons, keys and hashes may, is not -Waddress-of-packed-member at any field offset. */
export function userHeaderFields(cx: Lowerer, def: HeaderDef): { name: string; decl: string }[] {
  return def.fields.map((f) => {
    if (f.ty.kind === "bytes") cx.cty(f.ty);
    const wt = wireType(f.ty);
    const unaligned: CType =
      wt.kind === "be"
        ? { kind: "opaque", name: `nf_ube${wt.bits}` }
        : wt === C_IP6
          ? { kind: "opaque", name: "nf_uip6" }
          : wt;
    return { name: cMember(f.name), decl: cDecl(unaligned, cMember(f.name)) };
  });
}

/** The parse cursor right after `after` (where a user header parsed after it starts). */
function cursorAfter(cx: Lowerer, after: string, span: Span): IExpr {
  const def = headerDef(cx, after);
  // `(void *)(hdr_a + 1)`: a cursor, like h.l4_end, whatever header is parsed there next
  if (!def.builtin)
    return cast(
      bin("+", hdrPtr(cx, after, span), int(1, C_U32, span), hdrPtr(cx, after, span).ty, span),
      ptrTo({ kind: "void" }),
      span,
    );
  switch (after) {
    case "eth":
    case "vlan":
    case "vlan_inner":
      return v(`${PKT}.l2_end`, ptrTo({ kind: "void" }), span);
    case "ipv4":
    case "ipv6":
      return v(`${PKT}.l3_end`, ptrTo({ kind: "void" }), span);
    default:
      return v(`${PKT}.l4_end`, ptrTo({ kind: "void" }), span);
  }
}

export function lowerParseExts(cx: Lowerer): IrParseExt[] {
  // `parse a.f == v => a` never applies (a is parsed whenever a.f can be read; the interpreter
  // skips an extension to a parsed header), and its C test `!hdr_a && hdr_a` is a -Werror.
  return cx.prog.parseExts
    .filter((x) => x.after !== x.header)
    .map((x) => {
      const out: IStmt[] = [];
      const f = fieldDef(cx, x.after, x.field);
      const value = valueExpr(cx, x.value, f.ty, x.span, out);
      if (out.length > 0) bug("parse condition on an aggregate field", x.span);
      const cond =
        f.ty.kind === "int" || f.ty.kind === "ip4" || f.ty.kind === "bool"
          ? bin("==", readField(cx, x.after, x.field, x.span), value, C_BOOL, x.span)
          : bug("parse condition on an aggregate field", x.span);
      return {
        header: x.header,
        cvar: userHeaderVar(cx, x.header),
        tag: userHeaderStruct(cx, x.header),
        start: cursorAfter(cx, x.after, x.span),
        cond,
        guard: hdrPtr(cx, x.after, x.span),
        span: x.span,
      };
    });
}
