// The packet parser of record: the same rules as stdlib/include/nf/parse.h (nf_parse with
// NF_H_ALL: the C guarantees every wanted header gets the pointer a full parse gives) plus the
// user parse extensions. Parsing happens once, before the handler runs; field writes later do not
// re-parse (writing ipv4.proto does not make tcp appear).
import type { ParseExt } from "../checked.js";
import {
  ETH_P_8021AD,
  ETH_P_8021Q,
  ETH_P_IPV4,
  ETH_P_IPV6,
  IPV6_EXT_MAX,
  type HeaderDef,
} from "../headers.js";

export interface Parsed {
  /** Start offset of every present header, by name. */
  at: Map<string, number>;
  /** Where a parse extension after the header starts (see `endOf`). */
  end: Map<string, number>;
  /** ipv4 protocol, or the ipv6 next-header value the extension walk stopped at; 0 without IP. */
  l4proto: number;
}

const IPPROTO_HOPOPTS = 0;
const IPPROTO_TCP = 6;
const IPPROTO_UDP = 17;
const IPPROTO_ROUTING = 43;
const IPPROTO_FRAGMENT = 44;
const IPPROTO_ICMP = 1;
const IPPROTO_ICMPV6 = 58;
const IPPROTO_DSTOPTS = 60;

const be16 = (p: Uint8Array, o: number): number => (p[o]! << 8) | p[o + 1]!;
const isVlan = (t: number): boolean => t === ETH_P_8021Q || t === ETH_P_8021AD;
const isExt = (n: number): boolean =>
  n === IPPROTO_HOPOPTS || n === IPPROTO_ROUTING || n === IPPROTO_DSTOPTS || n === IPPROTO_FRAGMENT;

/** nf_parse(NF_H_ALL): the built-in headers. */
export function parseBuiltin(p: Uint8Array): Parsed {
  const r: Parsed = { at: new Map(), end: new Map(), l4proto: 0 };
  const len = p.length;
  const fits = (off: number, n: number): boolean => off + n <= len;
  const add = (name: string, at: number, end: number): void => {
    r.at.set(name, at);
    r.end.set(name, end);
  };

  if (!fits(0, 14)) return r;
  let off = 14;
  let type = be16(p, 12);
  const ethAt = 0;
  if (isVlan(type)) {
    if (!fits(off, 4)) {
      r.at.set("eth", ethAt); // l2_end stays unset: nothing parses after a truncated tag
      return r;
    }
    add("vlan", off, off + 4);
    type = be16(p, off + 2);
    off += 4;
    if (isVlan(type)) {
      if (!fits(off, 4)) {
        r.at.set("eth", ethAt);
        return r;
      }
      add("vlan_inner", off, off + 4);
      type = be16(p, off + 2);
      off += 4;
    }
  }
  add("eth", ethAt, off); // parse extensions after eth start at l2_end (after the VLAN tags)

  if (type === ETH_P_IPV4) {
    if (!fits(off, 20)) return r;
    const hl = (p[off]! & 0x0f) * 4;
    if (hl < 20 || !fits(off, hl)) return r;
    add("ipv4", off, off + hl);
    r.l4proto = p[off + 9]!;
    if ((be16(p, off + 6) & 0x1fff) === 0) parseL4(p, r, off + hl, r.l4proto, false);
  } else if (type === ETH_P_IPV6) {
    if (!fits(off, 40)) return r;
    r.at.set("ipv6", off);
    const { l3End, l4 } = ipv6Ext(p, off + 40, p[off + 6]!);
    r.l4proto = l4.proto;
    r.end.set("ipv6", l3End);
    if (l4.ok) parseL4(p, r, l3End, r.l4proto, true);
  }
  return r;
}

/** nf_parse_ipv6_ext: skip up to IPV6_EXT_MAX extension headers. */
function ipv6Ext(
  p: Uint8Array,
  start: number,
  first: number,
): { l3End: number; l4: { proto: number; ok: boolean } } {
  let off = start;
  let next = first;
  for (let i = 0; i < IPV6_EXT_MAX; i++) {
    let len: number;
    if (next === IPPROTO_HOPOPTS || next === IPPROTO_ROUTING || next === IPPROTO_DSTOPTS) {
      if (off + 8 > p.length) return { l3End: off, l4: { proto: next, ok: false } };
      len = (p[off + 1]! + 1) * 8;
      if (off + len > p.length) return { l3End: off, l4: { proto: next, ok: false } };
      next = p[off]!;
    } else if (next === IPPROTO_FRAGMENT) {
      if (off + 8 > p.length) return { l3End: off, l4: { proto: next, ok: false } };
      if (be16(p, off + 2) & 0xfff8) return { l3End: off + 8, l4: { proto: p[off]!, ok: false } };
      len = 8;
      next = p[off]!;
    } else {
      return { l3End: off, l4: { proto: next, ok: true } };
    }
    off += len;
  }
  return { l3End: off, l4: { proto: next, ok: !isExt(next) } };
}

/** nf_parse_l4. */
function parseL4(p: Uint8Array, r: Parsed, off: number, proto: number, v6: boolean): void {
  const fits = (n: number): boolean => off + n <= p.length;
  if (proto === IPPROTO_TCP) {
    if (!fits(20)) return;
    const hl = (p[off + 12]! >> 4) * 4;
    if (hl < 20 || !fits(hl)) return;
    r.at.set("tcp", off);
    r.end.set("tcp", off + hl);
  } else if (proto === IPPROTO_UDP) {
    if (!fits(8)) return;
    r.at.set("udp", off);
    r.end.set("udp", off + 8);
  } else if (!v6 && proto === IPPROTO_ICMP) {
    if (!fits(4)) return;
    r.at.set("icmp", off);
    r.end.set("icmp", off + 4);
  } else if (v6 && proto === IPPROTO_ICMPV6) {
    if (!fits(4)) return;
    r.at.set("icmpv6", off);
    r.end.set("icmpv6", off + 4);
  }
}

/**
 * User parse extensions, after the built-in parse, exactly as the generated C runs them: ONE pass
 * over the extensions in declaration order; `parse H.f == v => U` parses U when U is not parsed
 * yet, H is present and the condition holds, at the cursor after H, if U's fixed size fits there.
 * (So a later extension to the same U is tried when an earlier one did not apply, and a chain
 * H => U => W works when declared in that order.) The cursor after H: eth / vlan / vlan_inner →
 * after all VLAN tags (l2_end; none while a tag is cut short); ipv4 / ipv6 → l3_end (options,
 * walked extension headers); tcp / udp / icmp / icmpv6 → l4_end; a user header → its end.
 * `condHolds` reads H.f as the handler would.
 */
export function parseExtensions(
  p: Uint8Array,
  r: Parsed,
  exts: readonly ParseExt[],
  userHeaders: readonly HeaderDef[],
  condHolds: (ext: ParseExt) => boolean,
): void {
  for (const ext of exts) {
    if (r.at.has(ext.header) || !r.at.has(ext.after) || !condHolds(ext)) continue;
    const def = userHeaders.find((h) => h.name === ext.header);
    if (!def) throw new Error(`interp: parse extension to unknown header \`${ext.header}\``);
    const l2 = ext.after === "eth" || ext.after === "vlan" || ext.after === "vlan_inner";
    const at = r.end.get(l2 ? "eth" : ext.after);
    if (at === undefined || at + def.size > p.length) continue;
    r.at.set(def.name, at);
    r.end.set(def.name, at + def.size);
  }
}
