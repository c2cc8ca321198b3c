// SPDX-License-Identifier: GPL-2.0
/* memops.bpf.c — nfc_rt_memcpy of a 1 KiB map value and from the packet; nfc_rt_memcmp of
 * 16-byte keys differing at every position (both directions), lengths, and equal keys. */
#include "selftest.h"

__u8 big_src[1024];
__u8 big_dst[1024];
__u64 cmp_wrong, copy_bad;

static __always_inline void mem_checks(void *pkt9)
{
	__u8 a[16], b[16];

	for (int i = 0; i < 1024; i++)
		big_src[i] = (__u8)(i * 13 + 1);
	CHECK(0, nfc_rt_memcpy(big_dst, sizeof(big_dst), big_src, sizeof(big_src)) == 1024);
	copy_bad = 0;
	for (int i = 0; i < 1024; i++)
		copy_bad |= big_dst[i] ^ (__u8)(i * 13 + 1); /* branch-free: cheap to verify */
	CHECK(1, copy_bad == 0);
	CHECK(2, nfc_rt_memcpy(big_dst, 8, big_src, 16) == -22 && big_dst[8] == (__u8)(8 * 13 + 1));
	CHECK(3, nfc_rt_memcpy(big_dst + 100, 9, pkt9, 9) == 9 && big_dst[100] == '1' &&
		     big_dst[108] == '9');

	for (int i = 0; i < 16; i++)
		a[i] = b[i] = 0x40 + i;
	CHECK(4, nfc_rt_memcmp(a, 16, b, 16) == 0);
	cmp_wrong = 0;
	for (int i = 0; i < 16; i++) {
		b[i] += 1;
		cmp_wrong += nfc_rt_memcmp(a, 16, b, 16) != -1;
		cmp_wrong += nfc_rt_memcmp(b, 16, a, 16) != 1;
		b[i] -= 1;
	}
	CHECK(5, cmp_wrong == 0);
	CHECK(6, nfc_rt_memcmp(a, 8, b, 16) == -1 && nfc_rt_memcmp(a, 16, b, 8) == 1);
	CHECK(7, nfc_rt_memcmp(big_src, 1024, big_dst, 1024) != 0); /* dst[100..108] differ */
}

SEC("xdp")
int xdp_memops(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;

	if (data + 14 + 9 > end)
		return XDP_ABORTED;
	mem_checks(data + 14);
	return XDP_PASS;
}

SEC("tc")
int tc_memops(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data, *end = (void *)(long)skb->data_end;

	if (data + 14 + 9 > end)
		return 2;
	mem_checks(data + 14);
	return 0;
}
