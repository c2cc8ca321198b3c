/* SPDX-License-Identifier: GPL-2.0 */
/*
 * parse_hw.h - the parser baseline of bench/parse-insns.ts: a straight, hand-written parse of the
 * headers a program reads, written the way one writes it by hand for XDP (early returns, one
 * bounds check per header), with the same rules as nf_parse() (stdlib/CONTEXT.md "Parse rules":
 * two VLAN tags, IPv4 options, first fragments only, four IPv6 extension headers). It fills the
 * stdlib's struct nf_hdrs so that nfc's generated handler runs unchanged on top of it; only the
 * parser differs. The constant @want (NF_H_* of nf/parse.h) says which lines exist, as a person
 * would write only the headers the program needs.
 */
#ifndef PARSE_HW_H
#define PARSE_HW_H

#define HW_L4_V4 (NF_H_TCP | NF_H_UDP | NF_H_ICMP)
#define HW_L4_V6 (NF_H_TCP | NF_H_UDP | NF_H_ICMPV6)

static __always_inline void hw_l4(struct nf_hdrs *h, void *p, __u8 proto, __u32 want)
{
	if ((want & NF_H_TCP) && proto == IPPROTO_TCP) {
		struct tcphdr *t = p;

		if ((void *)(t + 1) > h->data_end || t->doff < 5 || p + t->doff * 4 > h->data_end)
			return;
		h->tcp = t;
		h->l4 = p;
		h->l4_end = p + t->doff * 4;
	} else if ((want & NF_H_UDP) && proto == IPPROTO_UDP) {
		if (p + sizeof(struct udphdr) > h->data_end)
			return;
		h->udp = p;
		h->l4 = p;
		h->l4_end = p + sizeof(struct udphdr);
	} else if ((want & (NF_H_ICMP | NF_H_ICMPV6)) && (proto == IPPROTO_ICMP || proto == IPPROTO_ICMPV6)) {
		if (p + 4 > h->data_end)
			return;
		if (proto == IPPROTO_ICMP && h->ipv4 && (want & NF_H_ICMP))
			h->icmp = p;
		else if (proto == IPPROTO_ICMPV6 && h->ipv6 && (want & NF_H_ICMPV6))
			h->icmpv6 = p;
		else
			return;
		h->l4 = p;
		h->l4_end = p + 4;
	}
}

static __always_inline void hw_parse_hdrs(struct nf_hdrs *h, void *data, void *end, __u32 want)
{
	__u32 v4 = (want & NF_H_L4_V6_ONLY) ? 0 : want & HW_L4_V4;
	__u32 v6 = (want & NF_H_L4_V4_ONLY) ? 0 : want & HW_L4_V6;
	struct ethhdr *eth = data;
	struct nf_vlan *tag;
	__be16 proto;
	void *p;

	__builtin_memset(h, 0, sizeof(*h));
	h->data = data;
	h->data_end = end;
	if ((void *)(eth + 1) > end)
		return;
	h->eth = eth;
	p = eth + 1;
	proto = eth->h_proto;
	if (proto == bpf_htons(ETH_P_8021Q) || proto == bpf_htons(ETH_P_8021AD)) {
		tag = p;
		if ((void *)(tag + 1) > end)
			return;
		h->vlan = tag;
		p = tag + 1;
		proto = tag->type;
		if (proto == bpf_htons(ETH_P_8021Q) || proto == bpf_htons(ETH_P_8021AD)) {
			tag = p;
			if ((void *)(tag + 1) > end)
				return;
			h->vlan_inner = tag;
			p = tag + 1;
			proto = tag->type;
		}
	}
	h->l2_end = p;

	if (proto == bpf_htons(ETH_P_IP) && ((want & NF_H_IPV4) || v4)) {
		struct iphdr *ip = p;

		if ((void *)(ip + 1) > end || ip->ihl < 5 || p + ip->ihl * 4 > end)
			return;
		h->ipv4 = ip;
		h->l4proto = ip->protocol;
		h->l3_end = p + ip->ihl * 4;
		if (v4 && !(ip->frag_off & bpf_htons(0x1fff)))
			hw_l4(h, h->l3_end, ip->protocol, v4);
		return;
	}
	if (proto == bpf_htons(ETH_P_IPV6) && ((want & NF_H_IPV6) || v6)) {
		struct ipv6hdr *ip6 = p;
		__u8 next;
		int i;

		if ((void *)(ip6 + 1) > end)
			return;
		h->ipv6 = ip6;
		if (!(want & NF_H_IPV6_EXT) && !v6)
			return;
		p = ip6 + 1;
		next = ip6->nexthdr;
		for (i = 0; i < 4; i++) {
			__u8 *x = p;

			if (next != 0 && next != 43 && next != 60 && next != 44)
				break;
			h->l4proto = next;
			h->l3_end = p;
			if ((void *)(x + 8) > end)
				return;
			if (next == 44) {
				if ((x[2] << 8 | x[3]) & 0xfff8) {
					h->l4proto = x[0];
					h->l3_end = p + 8;
					return;
				}
				p += 8;
			} else {
				if (p + (x[1] + 1) * 8 > end)
					return;
				p += (x[1] + 1) * 8;
			}
			next = x[0];
		}
		h->l4proto = next;
		h->l3_end = p;
		if (v6 && next != 0 && next != 43 && next != 60 && next != 44)
			hw_l4(h, p, next, v6);
	}
}

#endif /* PARSE_HW_H */
