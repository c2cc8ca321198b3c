// SPDX-License-Identifier: GPL-2.0
/*
 * crc32c.bpf.c — nfc_rt_crc32c over packet, stack and map-value memory, from XDP and TC.
 * Expected values were computed with a bitwise reference (poly 0x82F63B78, no inversion).
 * The stack lengths cross the 8-byte steps of the hardware path (tail, exact, tail after body).
 */
#include "selftest.h"

__u64 crc_pkt;
__u64 crc_map;

/* .data global: a map value (PTR_TO_MAP_VALUE) */
char map_msg[24] = { 'n', 'f', 'c', '-', 'r', 'u', 'n', 't', 'i', 'm', 'e', '-',
		     'm', 'a', 'p', '-', 'v', 'a', 'l', 'u', 'e', '-', '2', '4' };

static __always_inline void stack_and_map_checks(void)
{
	__u8 buf[32];

#pragma unroll
	for (int i = 0; i < 32; i++)
		buf[i] = (__u8)(i * 7 + 3);
	CHECK(1, nfc_rt_crc32c(0xffffffff, buf, 0) == 0xffffffff);
	CHECK(2, nfc_rt_crc32c(0xffffffff, buf, 1) == 0xbed25f5a);
	CHECK(3, nfc_rt_crc32c(0xffffffff, buf, 7) == 0x5a8fd3a9);
	CHECK(4, nfc_rt_crc32c(0xffffffff, buf, 8) == 0x2dda3f17);
	CHECK(5, nfc_rt_crc32c(0xffffffff, buf, 9) == 0x6dd39b31);
	CHECK(6, nfc_rt_crc32c(0xffffffff, buf, 15) == 0x6fd73fda);
	CHECK(7, nfc_rt_crc32c(0xffffffff, buf, 16) == 0x94db421e);
	CHECK(8, nfc_rt_crc32c(0xffffffff, buf, 17) == 0xde7a04f3);
	CHECK(9, nfc_rt_crc32c(0xffffffff, buf, 32) == 0xc229715a);
	CHECK(10, nfc_rt_crc32c(0x12345678, buf, 17) == 0x250b1095);
	/* chaining: crc(a ++ b) == crc(crc(a), b) */
	CHECK(11, nfc_rt_crc32c(nfc_rt_crc32c(0xffffffff, buf, 16), buf + 16, 16) == 0xc229715a);
	crc_map = nfc_rt_crc32c(0, map_msg, sizeof(map_msg));
	CHECK(12, crc_map == 0xee4dde69);
}

SEC("xdp")
int xdp_crc32c(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;

	if (data + 14 + 9 > end)
		return XDP_ABORTED;
	crc_pkt = ~nfc_rt_crc32c(~0u, data + 14, 9) & 0xffffffffu;
	CHECK(0, crc_pkt == 0xe3069283);
	stack_and_map_checks();
	return XDP_PASS;
}

SEC("tc")
int tc_crc32c(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data, *end = (void *)(long)skb->data_end;

	if (data + 14 + 9 > end)
		return 2;
	crc_pkt = ~nfc_rt_crc32c(~0u, data + 14, 9) & 0xffffffffu;
	CHECK(0, crc_pkt == 0xe3069283);
	stack_and_map_checks();
	return 0;
}
