/* Test programs for nf/csum.h.
 * csum_vec: reads [hc:2][from:16][to:16] from the packet and writes every helper's result
 *   after them (offset 34: replace2, 36: replace4, 38: replace16, 40/42/44: the udp_ variants,
 *   46: replace1 even, 48: replace1 odd, 50: nf_csum_ipv4_hdr of bytes 52..71).
 * csum_rewrite: the field writes generated code does, on a real packet (see rewrite()). */
#include "nf/nf.h"

#define VEC_LEN 72

SEC("xdp") int csum_vec(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *data_end = (void *)(long)ctx->data_end;
	__u8 *p = data;
	struct nf_ip6 from, to;

	if (data + VEC_LEN > data_end)
		return XDP_ABORTED;
	__builtin_memcpy(&from, p + 2, 16);
	__builtin_memcpy(&to, p + 18, 16);
	__sum16 *out = (__sum16 *)(p + 34);
	__sum16 hc = *(__sum16 *)p;

#pragma clang loop unroll(full)
	for (int i = 0; i < 6; i++)
		out[i] = hc;
	nf_csum_replace2(&out[0], *(__be16 *)&from, *(__be16 *)&to);
	nf_csum_replace4(&out[1], from.w[0], to.w[0]);
	nf_csum_replace16(&out[2], &from, &to);
	nf_udp_csum_replace2(&out[3], *(__be16 *)&from, *(__be16 *)&to);
	nf_udp_csum_replace4(&out[4], from.w[0], to.w[0]);
	nf_udp_csum_replace16(&out[5], &from, &to);
	out[6] = hc;
	nf_csum_replace1(&out[6], p[2], p[18], false);
	out[7] = hc;
	nf_csum_replace1(&out[7], p[2], p[18], true);
	out[8] = nf_csum_ipv4_hdr((struct iphdr *)(p + 52), data_end);
	return XDP_PASS;
}

static const struct nf_ip6 new_src6 = { { bpf_htonl(0x20010db8), 0, 0, bpf_htonl(0x99) } };

/* ipv4: ttl -= 1, tos ^= 0xfc, src = 10.9.8.7 (ipv4 + l4 csum), L4 dport = 4242, tcp flags |= 0x08,
 * icmp type = 0 (echo reply) and code 0;  ipv6: src = 2001:db8::99 (l4 csum), hop limit -= 1 */
SEC("xdp") int csum_rewrite(struct xdp_md *ctx)
{
	struct nf_hdrs h;

	nf_parse(&h, (void *)(long)ctx->data, (void *)(long)ctx->data_end, NF_H_ALL);
	if (h.ipv4) {
		struct iphdr *ip = h.ipv4;
		__be32 src = bpf_htonl(0x0a090807);

		nf_csum_replace1(&ip->check, ip->ttl, ip->ttl - 1, false);
		ip->ttl -= 1;
		nf_csum_replace1(&ip->check, ip->tos, ip->tos ^ 0xfc, true);
		ip->tos ^= 0xfc;
		nf_csum_replace4(&ip->check, ip->saddr, src);
		if (h.tcp)
			nf_csum_replace4(&h.tcp->check, ip->saddr, src);
		if (h.udp)
			nf_udp_csum_replace4(&h.udp->check, ip->saddr, src);
		ip->saddr = src;
	} else if (h.ipv6) {
		struct nf_ip6 old;

		__builtin_memcpy(&old, &h.ipv6->saddr, 16);
		if (h.tcp)
			nf_csum_replace16(&h.tcp->check, &old, &new_src6);
		if (h.udp)
			nf_udp_csum_replace16(&h.udp->check, &old, &new_src6);
		if (h.icmpv6)
			nf_csum_replace16(&h.icmpv6->csum, &old, &new_src6);
		__builtin_memcpy(&h.ipv6->saddr, &new_src6, 16);
		h.ipv6->hop_limit -= 1;
	}
	if (h.tcp) {
		nf_csum_replace2(&h.tcp->check, h.tcp->dest, bpf_htons(4242));
		h.tcp->dest = bpf_htons(4242);
		__u8 *flags = (__u8 *)h.tcp + 13;
		nf_csum_replace1(&h.tcp->check, *flags, *flags | 0x08, true);
		*flags |= 0x08;
	}
	if (h.udp) {
		nf_udp_csum_replace2(&h.udp->check, h.udp->dest, bpf_htons(4242));
		h.udp->dest = bpf_htons(4242);
	}
	if (h.icmp) {
		nf_csum_replace1(&h.icmp->csum, h.icmp->type, 0, false);
		h.icmp->type = 0;
		nf_csum_replace1(&h.icmp->csum, h.icmp->code, 0, true);
		h.icmp->code = 0;
	}
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
