/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nf/payload.h - the payload operations (docs/LANGUAGE.md "Payload"), twins of lang/interp/payload.ts.
 *
 * The payload is the bytes from @off0 (the end of the TCP/UDP header, counted from the frame's first
 * byte) to the packet's end. Every access goes through the load/store helpers, which check the
 * bounds themselves, so no packet pointer is ever formed from a runtime offset; sizes passed to them
 * are clamped to [1, cap] first, as the verifier wants. @tc (a constant) picks the skb helpers.
 * Writes and resizes invalidate packet pointers: the caller parses the packet again afterwards.
 */
#ifndef NF_PAYLOAD_H
#define NF_PAYLOAD_H

#include "common.h"
#include "csum.h"

/* payload.resize(n) refuses n above this (a 1514-byte frame's UDP payload over IPv4). */
#define NF_PL_RESIZE_MAX 1472

static __always_inline __u32 nf_pl_total(void *ctx, int tc)
{
	return tc ? ((struct __sk_buff *)ctx)->len : bpf_xdp_get_buff_len((struct xdp_md *)ctx);
}

/* payload.len(): bytes from @off0 to the packet's end. */
static __always_inline __u32 nf_pl_len(void *ctx, int tc, __u32 off0)
{
	__u32 t = nf_pl_total(ctx, tc);

	return t > off0 ? t - off0 : 0;
}

/*
 * Copies min(@len, @cap, payload bytes from @off) bytes of the payload at @off into @buf; returns
 * how many (0 when @off is at or past the end). @cap is a constant: the size of @buf.
 */
static __always_inline __u32 nf_pl_copy(void *ctx, int tc, __u32 off0, __u64 off, __u64 len, void *buf,
					 __u32 cap)
{
	__u64 plen = nf_pl_len(ctx, tc, off0);
	__u64 n;

	if (off >= plen)
		return 0;
	n = plen - off;
	if (n > len)
		n = len;
	if (n > cap)
		n = cap;
	/* hidden from clang so that the verifier sees n in [1, cap] in the register it passes */
	nf_loop_var(n);
	if (n == 0)
		return 0;
	nf_loop_var(n);
	if (n > cap)
		return 0;
	if (tc ? bpf_skb_load_bytes(ctx, off0 + (__u32)off, buf, (__u32)n)
	       : bpf_xdp_load_bytes((struct xdp_md *)ctx, off0 + (__u32)off, buf, (__u32)n))
		return 0;
	return (__u32)n;
}

/* payload.u8/u16/u32(off): @size bytes big-endian at @off; 0 when they do not all fit. */
static __always_inline __u32 nf_pl_be(void *ctx, int tc, __u32 off0, __u64 off, __u32 size)
{
	__u8 b[4] = {};
	__u32 v = 0;

	if (nf_pl_copy(ctx, tc, off0, off, size, b, size) != size)
		return 0;
	for (__u32 i = 0; i < 4; i++)
		if (i < size)
			v = (v << 8) | b[i];
	return v;
}

/*
 * payload.find(c, from, cap): the offset of the first @c in [from, from + cap), or 0xffffffff.
 * One byte-sized load per position and no branch on the data: a load past the end fails (nonzero)
 * and that position cannot match. The lowest match wins (scanning down). So the verifier walks one
 * path and the result is one unknown scalar; a branch per byte would give it one path per possible
 * offset, and a few scans in a row multiply those past its limit. @scan is unused (kept for the
 * caller's layout).
 */
static __always_inline __u32 nf_pl_find(void *ctx, int tc, __u32 off0, __u8 c, __u64 from, void *scan,
					 __u32 cap)
{
	__u32 pos = 0xffffffff;

	(void)scan;
	if (from > 0xffff)
		return pos;
	for (__u32 j = 0; j < cap; j++) {
		__u32 i = cap - 1 - j;
		__u8 b = 0;
		long err = tc ? bpf_skb_load_bytes(ctx, off0 + (__u32)from + i, &b, 1)
			      : bpf_xdp_load_bytes((struct xdp_md *)ctx, off0 + (__u32)from + i, &b, 1);
		__u32 x = b ^ c;
		__u32 ok = (__u32)((__u64)err >> 63) ^ 1; /* 1 when the load succeeded (err == 0) */

		nf_loop_var(x);
		nf_loop_var(ok);
		__u32 mask = -(((x - 1) >> 8) & ok & 1); /* all ones when the byte is @c */

		nf_loop_var(mask); /* else clang turns the masks back into a branch */
		pos = (pos & ~mask) | (((__u32)from + i) & mask);
	}
	return pos;
}

static __always_inline int nf_pl_store_raw(void *ctx, int tc, __u32 at, const void *buf, __u32 len)
{
	return tc ? bpf_skb_store_bytes(ctx, at, buf, len, 0)
		  : bpf_xdp_store_bytes((struct xdp_md *)ctx, at, (void *)buf, len);
}

/*
 * payload.write(off, v, len): the first min(@len, @cap) bytes of @buf at @off, all or nothing (0 when
 * they do not fit). On success the UDP checksum (at @off0 - 2) is set to zero (RFC 768, IPv4).
 */
static __always_inline int nf_pl_write(void *ctx, int tc, __u32 off0, __u64 off, const void *buf,
				       __u64 len, __u32 cap)
{
	__u64 plen = nf_pl_len(ctx, tc, off0);
	__u16 zero = 0;

	if (len > cap)
		len = cap;
	if (off > plen || len > plen - off)
		return 0;
	if (nf_pl_store_raw(ctx, tc, off0 - 2, &zero, 2))
		return 0;
	nf_loop_var(len);
	if (len == 0)
		return 1;
	nf_loop_var(len);
	if (len > cap)
		return 0;
	return nf_pl_store_raw(ctx, tc, off0 + (__u32)off, buf, (__u32)len) == 0;
}

/*
 * payload.resize(n): the packet ends @n bytes after @off0 (grown bytes are zero). Then the IPv4
 * total length (header at @ip_off) and its checksum, the UDP length and a zero UDP checksum.
 * 0 when @n is above NF_PL_RESIZE_MAX or the kernel refuses (nothing changed).
 */
static __always_inline int nf_pl_resize(void *ctx, int tc, __u32 off0, __u32 ip_off, __u64 n)
{
	__u32 total = nf_pl_total(ctx, tc);
	__u32 end = off0 + (__u32)n;
	__be16 old_len, new_len, udp_len;
	__sum16 check;
	__u16 zero = 0;

	if (n > NF_PL_RESIZE_MAX || total < off0)
		return 0;
	if (tc ? bpf_skb_change_tail(ctx, end, 0)
	       : bpf_xdp_adjust_tail((struct xdp_md *)ctx, (int)end - (int)total))
		return 0;
	if (tc ? bpf_skb_load_bytes(ctx, ip_off + 2, &old_len, 2)
	       : bpf_xdp_load_bytes((struct xdp_md *)ctx, ip_off + 2, &old_len, 2))
		return 1;
	if (tc ? bpf_skb_load_bytes(ctx, ip_off + 10, &check, 2)
	       : bpf_xdp_load_bytes((struct xdp_md *)ctx, ip_off + 10, &check, 2))
		return 1;
	new_len = bpf_htons((__u16)(end - ip_off));
	udp_len = bpf_htons((__u16)(n + 8));
	nf_csum_replace2(&check, old_len, new_len);
	nf_pl_store_raw(ctx, tc, ip_off + 2, &new_len, 2);
	nf_pl_store_raw(ctx, tc, ip_off + 10, &check, 2);
	nf_pl_store_raw(ctx, tc, off0 - 4, &udp_len, 2);
	nf_pl_store_raw(ctx, tc, off0 - 2, &zero, 2);
	return 1;
}

#endif /* NF_PAYLOAD_H */
