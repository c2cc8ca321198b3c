/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nf/parse.h - the built-in header parser (eth, VLAN x2, IPv4, IPv6 + extension headers, L4).
 *
 * One call, nf_parse(), fills a struct nf_hdrs with bounds-checked pointers into the packet.
 * The rules are exactly those of stdlib/CONTEXT.md ("Parse rules"); the reference interpreter
 * implements the same rules, so change both together.
 */
#ifndef NF_PARSE_H
#define NF_PARSE_H

#include "common.h"
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <linux/in.h>

/** Bits of the @want mask of nf_parse(): which header pointers the caller will read. */
#define NF_H_ETH (1u << 0)
#define NF_H_VLAN (1u << 1)
#define NF_H_VLAN_INNER (1u << 2)
#define NF_H_IPV4 (1u << 3)
#define NF_H_IPV6 (1u << 4)
#define NF_H_TCP (1u << 5)
#define NF_H_UDP (1u << 6)
#define NF_H_ICMP (1u << 7)
#define NF_H_ICMPV6 (1u << 8)
/* Walk the IPv6 extension headers (for @l4proto and @l3_end below IPv6) even when no L4 header
 * is wanted below IPv6. */
#define NF_H_IPV6_EXT (1u << 9)
#define NF_H_ALL 0x3ffu
/* Not in NF_H_ALL: the caller reads L4 headers only where it has seen IPv4 (IPv6) present, so
 * L4 below the other IP version is not looked for. */
#define NF_H_L4_V4_ONLY (1u << 10)
#define NF_H_L4_V6_ONLY (1u << 11)

#define NF_IPV6_EXT_MAX 4

/** struct nf_vlan - one 802.1Q / 802.1ad tag as it follows the ethertype it is announced by. */
struct nf_vlan {
	__be16 tci;
	__be16 type; /* the encapsulated ethertype */
};

/** struct nf_icmp - the 4-byte common part of ICMP and ICMPv6 (only these bytes are checked). */
struct nf_icmp {
	__u8 type;
	__u8 code;
	__sum16 csum;
};

/**
 * struct nf_hdrs - result of nf_parse(). Every pointer is NULL when the header is absent,
 * otherwise the whole fixed part of the header lies inside [data, data_end).
 * @eth, @vlan, @vlan_inner, @ipv4, @ipv6, @tcp, @udp, @icmp, @icmpv6: the headers.
 * @l4proto: ipv4 protocol, or the ipv6 next-header value the extension-header walk stopped at
 *	(the ipv6 `proto` field); 0 when there is no IP header.
 * @l2_end: first byte after eth and its VLAN tags (where the ethertype's payload starts), or
 *	NULL without eth.
 * @l3_end: first byte after the IP header (ipv4 options, skipped ipv6 extension headers
 *	included), or NULL without IP. Not necessarily inside the packet.
 * @l4: start of tcp/udp/icmp/icmpv6, or NULL.
 * @l4_end: end of the parsed fixed part of the L4 header (tcp: off*4, udp: 8, icmp: 4) - where
 *	user parse extensions after L4 start - or NULL.
 * @data, @data_end: the packet bounds given to nf_parse().
 */
struct nf_hdrs {
	struct ethhdr *eth;
	struct nf_vlan *vlan;
	struct nf_vlan *vlan_inner;
	struct iphdr *ipv4;
	struct ipv6hdr *ipv6;
	struct tcphdr *tcp;
	struct udphdr *udp;
	struct nf_icmp *icmp;
	struct nf_icmp *icmpv6;
	void *l2_end;
	void *l3_end;
	void *l4;
	void *l4_end;
	void *data;
	void *data_end;
	__u8 l4proto;
};

/* Is @p + @len past @end?  (the one bounds check every header goes through) */
#define NF_OUT(p, len, end) ((void *)(p) + (len) > (void *)(end))

/*
 * Every cursor nf_parse() settles is below this: 2 VLAN tags (22) + IPv6 (40) + 4 extension
 * headers of at most 2048 bytes each = 8254 (IPv4: 22 + 60).
 */
#define NF_SETTLE_MASK 0x3fffu

/**
 * nf_settle() - internal: the same packet cursor, re-derived so that the verifier forgets how
 * it was reached.
 * @data: the packet start.
 * @p: a cursor in [@data, @data + NF_SETTLE_MASK] (not necessarily inside the packet).
 *
 * The parse paths (0, 1 or 2 VLAN tags; IPv6 extension headers of each kind) leave the cursor at
 * different constant offsets, and the verifier keeps one state per offset: without this, all
 * that follows (the rest of the parse and the whole handler) is verified once per layout. The
 * difference of two packet pointers is a scalar the verifier does not know (privileged loaders:
 * CAP_PERFMON), so the cursor rebuilt from it is "data + [0, NF_SETTLE_MASK]" on every path
 * and the states merge. The value is unchanged, so this is invisible to the program.
 */
static __always_inline void *nf_settle(void *data, void *p)
{
	__u64 off;

	/* Two barriers: clang must neither fold p - data back into a per-path constant nor
	 * recompute the result from data + off later (that copy would lack the bounds checks). */
	asm volatile("" : "+r"(p));
	off = ((__u64)(long)p - (__u64)(long)data) & NF_SETTLE_MASK;
	p = data + off;
	asm volatile("" : "+r"(p));
	return p;
}

/**
 * nf_parse_l4() - internal: parse the L4 header at @p for protocol @proto.
 * @h: result being filled.
 * @p: first byte after the IP header (may be past @h->data_end).
 * @proto: upper-layer protocol number.
 * @v6: true below IPv6 (ICMPv6 instead of ICMP).
 * @want: constant NF_H_* mask.
 */
static __always_inline void nf_parse_l4(struct nf_hdrs *h, void *p, __u8 proto, bool v6, __u32 want)
{
	void *end = h->data_end;

	if ((want & NF_H_TCP) && proto == IPPROTO_TCP) {
		struct tcphdr *t = p;
		__u32 len;

		if (NF_OUT(t, sizeof(*t), end))
			return;
		len = t->doff * 4;
		if (len < sizeof(*t) || NF_OUT(t, len, end))
			return;
		h->tcp = t;
		h->l4 = t;
		h->l4_end = p + len;
	} else if ((want & NF_H_UDP) && proto == IPPROTO_UDP) {
		if (NF_OUT(p, sizeof(struct udphdr), end))
			return;
		h->udp = p;
		h->l4 = p;
		h->l4_end = p + sizeof(struct udphdr);
	} else if (!v6 && (want & NF_H_ICMP) && proto == IPPROTO_ICMP) {
		if (NF_OUT(p, sizeof(struct nf_icmp), end))
			return;
		h->icmp = p;
		h->l4 = p;
		h->l4_end = p + sizeof(struct nf_icmp);
	} else if (v6 && (want & NF_H_ICMPV6) && proto == IPPROTO_ICMPV6) {
		if (NF_OUT(p, sizeof(struct nf_icmp), end))
			return;
		h->icmpv6 = p;
		h->l4 = p;
		h->l4_end = p + sizeof(struct nf_icmp);
	}
}

/**
 * nf_parse_ipv6_ext() - internal: skip up to NF_IPV6_EXT_MAX extension headers at @p.
 * @h: result; sets @h->l4proto and @h->l3_end.
 * @p: first byte after the fixed IPv6 header (inside the packet is not required).
 * @next: the fixed header's next-header value.
 *
 * Return: true when the walk reached an upper-layer header that may carry L4 (not a non-first
 * fragment, not a truncated or 5th extension header).
 */
static __always_inline bool nf_parse_ipv6_ext(struct nf_hdrs *h, void *p, __u8 next)
{
	void *end = h->data_end;

#pragma clang loop unroll(full)
	for (int i = 0; i < NF_IPV6_EXT_MAX; i++) {
		__u32 len;

		if (next == IPPROTO_HOPOPTS || next == IPPROTO_ROUTING || next == IPPROTO_DSTOPTS) {
			__u8 *e = p;

			if (NF_OUT(e, 8, end))
				goto stop;
			len = ((__u32)e[1] + 1) * 8;
			if (NF_OUT(e, len, end))
				goto stop;
			next = e[0];
		} else if (next == IPPROTO_FRAGMENT) {
			__u8 *e = p;

			if (NF_OUT(e, 8, end))
				goto stop;
			/* offset = upper 13 bits of bytes 2-3; non-first fragments carry no L4 */
			if ((e[2] << 8 | e[3]) & 0xfff8) {
				h->l4proto = e[0];
				h->l3_end = p + 8;
				return false;
			}
			len = 8;
			next = e[0];
		} else {
			h->l4proto = next;
			h->l3_end = p;
			return true;
		}
		p = nf_settle(h->data, p + len);
	}
	/* a 5th extension header (or an upper-layer header right after the 4th) */
	h->l4proto = next;
	h->l3_end = p;
	return !(next == IPPROTO_HOPOPTS || next == IPPROTO_ROUTING || next == IPPROTO_DSTOPTS ||
		 next == IPPROTO_FRAGMENT);
stop:
	/* a truncated extension header: IPv6 present, nothing after it */
	h->l4proto = next;
	h->l3_end = p;
	return false;
}

/**
 * nf_parse() - parse the built-in headers of a packet.
 * @h: result, fully overwritten.
 * @data: first packet byte (xdp_md->data / __sk_buff->data, as a pointer).
 * @data_end: one past the last packet byte.
 * @want: compile-time constant mask of NF_H_* bits: the headers whose pointers the caller reads.
 *	Headers on the way to a wanted header are parsed too. For every wanted header the
 *	pointer equals the one a parse with NF_H_ALL gives; pointers of unwanted headers are
 *	either NULL or that same value. eth, VLAN tags and @l2_end are always parsed;
 *	@l4proto and @l3_end are valid below IPv4 when IPV4 or an L4 header is wanted there,
 *	below IPv6 when IPV6_EXT or an L4 header is wanted there; @l4/@l4_end when an L4
 *	header is wanted. With L4_V4_ONLY (L4_V6_ONLY) L4 headers are wanted below IPv4
 *	(IPv6) only: the caller promises to read them only where it saw that IP header.
 *	Every cursor is settled (nf_settle()), so the verifier walks what follows once per
 *	combination of wanted headers present, not once per packet layout.
 *
 * Never fails: absent or malformed headers are NULL (rules: stdlib/CONTEXT.md).
 */
static __always_inline void nf_parse(struct nf_hdrs *h, void *data, void *data_end, __u32 want)
{
	const __u32 l4_v4 = (want & NF_H_L4_V6_ONLY) ? 0 : want & (NF_H_TCP | NF_H_UDP | NF_H_ICMP);
	const __u32 l4_v6 = (want & NF_H_L4_V4_ONLY) ? 0 : want & (NF_H_TCP | NF_H_UDP | NF_H_ICMPV6);
	const __u32 want_v4 = (want & NF_H_IPV4) | l4_v4;
	const __u32 want_v6 = (want & NF_H_IPV6) | l4_v6;
	const __u32 walk_v6 = (want & NF_H_IPV6_EXT) | l4_v6;
	struct ethhdr *eth = data;
	void *p;
	__be16 type;

	__builtin_memset(h, 0, sizeof(*h));
	h->data = data;
	h->data_end = data_end;

	if (NF_OUT(eth, sizeof(*eth), data_end))
		return;
	h->eth = eth;
	p = eth + 1;
	type = eth->h_proto;

	if (type == bpf_htons(ETH_P_8021Q) || type == bpf_htons(ETH_P_8021AD)) {
		struct nf_vlan *v = p;

		if (NF_OUT(v, sizeof(*v), data_end))
			return;
		h->vlan = v;
		p = v + 1;
		type = v->type;
		if (type == bpf_htons(ETH_P_8021Q) || type == bpf_htons(ETH_P_8021AD)) {
			v = p;
			if (NF_OUT(v, sizeof(*v), data_end))
				return;
			h->vlan_inner = v;
			p = v + 1;
			type = v->type;
		}
	}
	p = nf_settle(data, p);
	h->l2_end = p;

	if (want_v4 && type == bpf_htons(ETH_P_IP)) {
		struct iphdr *ip = p;
		__u32 len;

		if (NF_OUT(ip, sizeof(*ip), data_end))
			return;
		len = ip->ihl * 4;
		if (len < sizeof(*ip) || NF_OUT(ip, len, data_end))
			return;
		h->ipv4 = ip;
		h->l4proto = ip->protocol;
		h->l3_end = nf_settle(data, p + len);
		if (l4_v4 && !(ip->frag_off & bpf_htons(0x1fff)))
			nf_parse_l4(h, h->l3_end, ip->protocol, false, want);
	} else if (want_v6 && type == bpf_htons(ETH_P_IPV6)) {
		struct ipv6hdr *ip6 = p;

		if (NF_OUT(ip6, sizeof(*ip6), data_end))
			return;
		h->ipv6 = ip6;
		if (walk_v6) {
			bool l4 = nf_parse_ipv6_ext(h, ip6 + 1, ip6->nexthdr);

			h->l3_end = nf_settle(data, h->l3_end);
			if (l4 && l4_v6)
				nf_parse_l4(h, h->l3_end, h->l4proto, true, want);
		}
	}
}

#endif /* NF_PARSE_H */
