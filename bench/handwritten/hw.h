/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hw.h - shared pieces of the hand-written baselines (the .bpf.c files beside it): the 5-tuple
 * parse and a Jenkins hash, written the way a careful engineer writes them by hand for XDP.
 * Deliberately independent of stdlib/include/nf: these are the programs nfc is compared with.
 */
#ifndef HW_H
#define HW_H

#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

struct hw_tuple {
	__u32 src, dst;
	__u32 ports; /* sport << 16 | dport, as the two big-endian u16s sit in the packet */
	__u32 proto;
};

/* Parses Ethernet/IPv4 and the TCP/UDP ports. Returns 0 when the packet is not IPv4 (or too
 * short); non-first fragments and other protocols get ports 0. */
static __always_inline int hw_parse(struct xdp_md *ctx, struct hw_tuple *t)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	if ((void *)(eth + 1) > end || eth->h_proto != bpf_htons(ETH_P_IP))
		return 0;
	struct iphdr *ip = (void *)(eth + 1);
	if ((void *)(ip + 1) > end || ip->ihl < 5)
		return 0;
	void *l4 = (void *)ip + ip->ihl * 4;
	if (l4 > end)
		return 0;
	t->src = ip->saddr;
	t->dst = ip->daddr;
	t->proto = ip->protocol;
	t->ports = 0;
	if (ip->frag_off & bpf_htons(0x1fff))
		return 1;
	if (ip->protocol == IPPROTO_TCP || ip->protocol == IPPROTO_UDP) {
		/* source and dest ports are the first 4 bytes of both headers */
		if (l4 + 4 > end)
			return 1;
		t->ports = *(__u32 *)l4;
	}
	return 1;
}

/* Bob Jenkins' lookup3 mix/final, as in the kernel's <linux/jhash.h>. */
#define hw_rol32(x, k) (((x) << (k)) | ((x) >> (32 - (k))))
#define hw_jhash_mix(a, b, c)                                                                      \
	{                                                                                          \
		a -= c; a ^= hw_rol32(c, 4); c += b;                                               \
		b -= a; b ^= hw_rol32(a, 6); a += c;                                               \
		c -= b; c ^= hw_rol32(b, 8); b += a;                                               \
		a -= c; a ^= hw_rol32(c, 16); c += b;                                              \
		b -= a; b ^= hw_rol32(a, 19); a += c;                                              \
		c -= b; c ^= hw_rol32(b, 4); b += a;                                               \
	}
#define hw_jhash_final(a, b, c)                                                                    \
	{                                                                                          \
		c ^= b; c -= hw_rol32(b, 14);                                                      \
		a ^= c; a -= hw_rol32(c, 11);                                                      \
		b ^= a; b -= hw_rol32(a, 25);                                                      \
		c ^= b; c -= hw_rol32(b, 16);                                                      \
		a ^= c; a -= hw_rol32(c, 4);                                                       \
		b ^= a; b -= hw_rol32(a, 14);                                                      \
		c ^= b; c -= hw_rol32(b, 24);                                                      \
	}

/* jhash2() of the tuple's four 32-bit words with @seed. */
static __always_inline __u32 hw_jhash_tuple(const struct hw_tuple *t, __u32 seed)
{
	__u32 a, b, c;
	a = b = c = 0xdeadbeef + (4 << 2) + seed;
	a += t->src;
	b += t->dst;
	c += t->ports;
	hw_jhash_mix(a, b, c);
	a += t->proto;
	hw_jhash_final(a, b, c);
	return c;
}

/* Per-row (per-hash-function) seeds: distinct odd constants. */
#define HW_SEED(i) (0x9e3779b1u * ((i) + 1))

#endif
