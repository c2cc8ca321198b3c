/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nf/csum.h - Internet checksum updates (RFC 1071 / RFC 1624).
 *
 * Incremental updates use RFC 1624 eqn 3, HC' = ~(~HC + ~m + m'), summed over 16-bit words in
 * one's complement arithmetic. All values are raw memory (the bytes as in the packet): the
 * one's complement sum commutes with byte swapping, so no byte-order conversion is needed and
 * the result is bit-identical to doing the same on big-endian words (lang/csum.ts does that).
 *
 * Caveat: these helpers rewrite the checksum field itself. On TC with CHECKSUM_PARTIAL skbs
 * (offloaded L4 checksum) the field holds a pseudo-header partial sum instead; see CONTEXT.md.
 */
#ifndef NF_CSUM_H
#define NF_CSUM_H

#include "common.h"
#include <linux/ip.h>

/**
 * nf_csum_fold() - fold a 32-bit sum of at most 0xffff 16-bit terms into 16 bits with end-around
 * carry (two folds are exact for such sums).
 * @s: the sum.
 *
 * Return: the folded sum, 0..0xffff (0 only when @s is 0).
 */
static __always_inline __u16 nf_csum_fold(__u32 s)
{
	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	return (__u16)s;
}

/* ~m + m' for one 16-bit word (raw memory order). */
#define NF_CSUM_DELTA16(from, to) ((__u32)(__u16) ~(__u16)(from) + (__u32)(__u16)(to))
/* ~m + m' for the two 16-bit words of a 32-bit value (raw memory order). */
#define NF_CSUM_DELTA32(from, to)                                                                  \
	(NF_CSUM_DELTA16((__u32)(from) & 0xffff, (__u32)(to) & 0xffff) +                           \
	 NF_CSUM_DELTA16((__u32)(from) >> 16, (__u32)(to) >> 16))

/**
 * nf_csum_apply() - internal: HC' = ~(~HC + delta), stored through @sum.
 * @sum: the checksum field (bounds-checked packet memory or any writable 2 bytes).
 * @delta: sum of ~m + m' terms, at most 16 words.
 */
static __always_inline void nf_csum_apply(__sum16 *sum, __u32 delta)
{
	*sum = (__sum16)(__u16) ~nf_csum_fold((__u32)(__u16) ~(__u16)*sum + delta);
}

/**
 * nf_csum_replace2() - update a checksum for a 16-bit word changing from @from to @to.
 * @sum: the checksum field; 2 writable bytes (bounds-checked when in the packet).
 * @from: old value of the word, as in memory (network order); must start at an even offset
 *	from the start of the checksummed data.
 * @to: new value, as in memory.
 */
static __always_inline void nf_csum_replace2(__sum16 *sum, __be16 from, __be16 to)
{
	nf_csum_apply(sum, NF_CSUM_DELTA16(from, to));
}

/**
 * nf_csum_replace1() - update a checksum for one byte changing (a u8 field).
 * @sum: the checksum field; 2 writable bytes.
 * @from: old byte.
 * @to: new byte.
 * @odd: constant: true when the byte is at an odd offset from the start of the checksummed data
 *	(the low byte of its 16-bit word), false at an even offset (the high byte).
 */
static __always_inline void nf_csum_replace1(__sum16 *sum, __u8 from, __u8 to, bool odd)
{
	/* raw memory order on a little-endian target: the even byte is the low byte */
	if (odd)
		nf_csum_replace2(sum, (__be16)((__u16)from << 8), (__be16)((__u16)to << 8));
	else
		nf_csum_replace2(sum, (__be16)from, (__be16)to);
}

/**
 * nf_csum_replace4() - update a checksum for a 32-bit value (two words) changing.
 * @sum: the checksum field; 2 writable bytes.
 * @from: old value as in memory; must start at an even offset in the checksummed data.
 * @to: new value as in memory.
 */
static __always_inline void nf_csum_replace4(__sum16 *sum, __be32 from, __be32 to)
{
	nf_csum_apply(sum, NF_CSUM_DELTA32(from, to));
}

/**
 * nf_csum_replace16() - update a checksum for an IPv6 address (eight words) changing.
 * @sum: the checksum field; 2 writable bytes.
 * @from: old address (16 readable bytes; a copy, not the packet bytes being overwritten).
 * @to: new address (16 readable bytes).
 */
static __always_inline void nf_csum_replace16(__sum16 *sum, const struct nf_ip6 *from,
					      const struct nf_ip6 *to)
{
	__u32 d = 0;

#pragma clang loop unroll(full)
	for (int i = 0; i < 4; i++)
		d += NF_CSUM_DELTA32(from->w[i], to->w[i]);
	nf_csum_apply(sum, d);
}

/**
 * nf_udp_csum_fixup() - internal: RFC 768: a computed 0 is sent as 0xffff.
 * @sum: the UDP checksum field after an update.
 */
static __always_inline void nf_udp_csum_fixup(__sum16 *sum)
{
	if (*sum == 0)
		*sum = (__sum16)0xffff;
}

/**
 * nf_udp_csum_replace2() - nf_csum_replace2() under UDP rules: a zero checksum ("none") stays
 * zero, a result of 0 becomes 0xffff.
 * @sum: the UDP checksum field; 2 writable bytes.
 * @from: old word, as in memory.
 * @to: new word, as in memory.
 */
static __always_inline void nf_udp_csum_replace2(__sum16 *sum, __be16 from, __be16 to)
{
	if (*sum == 0)
		return;
	nf_csum_replace2(sum, from, to);
	nf_udp_csum_fixup(sum);
}

/**
 * nf_udp_csum_replace4() - nf_csum_replace4() under UDP rules (zero stays zero, 0 -> 0xffff).
 * @sum: the UDP checksum field; 2 writable bytes.
 * @from: old value, as in memory.
 * @to: new value, as in memory.
 */
static __always_inline void nf_udp_csum_replace4(__sum16 *sum, __be32 from, __be32 to)
{
	if (*sum == 0)
		return;
	nf_csum_replace4(sum, from, to);
	nf_udp_csum_fixup(sum);
}

/**
 * nf_udp_csum_replace16() - nf_csum_replace16() under UDP rules (zero stays zero, 0 -> 0xffff).
 * @sum: the UDP checksum field; 2 writable bytes.
 * @from: old address (a copy).
 * @to: new address.
 */
static __always_inline void nf_udp_csum_replace16(__sum16 *sum, const struct nf_ip6 *from,
						  const struct nf_ip6 *to)
{
	if (*sum == 0)
		return;
	nf_csum_replace16(sum, from, to);
	nf_udp_csum_fixup(sum);
}

/**
 * nf_csum_ipv4_hdr() - compute an IPv4 header checksum from scratch (the check field counts
 * as zero). Meant for tests and for headers the program builds; field writes use the
 * incremental helpers.
 * @ip: the header; its first 20 bytes must be bounds-checked.
 * @data_end: packet end; words past it are not read.
 *
 * Return: the value to store in ip->check (raw memory order), or 0 when ihl < 5 or the header
 * (ihl * 4 bytes) does not fit before @data_end.
 */
static __always_inline __sum16 nf_csum_ipv4_hdr(const struct iphdr *ip, const void *data_end)
{
	const __u16 *w = (const __u16 *)ip;
	__u32 words = ip->ihl * 2, s = 0;

	if (words < 10 || (const void *)ip + words * 2 > data_end)
		return 0;
#pragma clang loop unroll(full)
	for (__u32 i = 0; i < 30; i++) {
		/* per-word check: the verifier needs a constant-offset bound for each load */
		if (i != 5 && i < words && (const void *)(w + i + 1) <= data_end)
			s += w[i];
	}
	return (__sum16)(__u16) ~nf_csum_fold(s);
}

#endif /* NF_CSUM_H */
