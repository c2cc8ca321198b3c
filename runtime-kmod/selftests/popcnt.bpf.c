// SPDX-License-Identifier: GPL-2.0
/* popcnt.bpf.c — nfc_rt_popcnt64 from XDP and from TC (both registrations). */
#include "selftest.h"

__u64 pop_pktlen;

static __always_inline void popcnt_checks(__u64 pktlen)
{
	CHECK(0, nfc_rt_popcnt64(0) == 0);
	CHECK(1, nfc_rt_popcnt64(~0ull) == 64);
	CHECK(2, nfc_rt_popcnt64(0x8000000000000001ull) == 2);
	CHECK(3, nfc_rt_popcnt64(0x0123456789abcdefull) == 32);
	CHECK(4, nfc_rt_popcnt64(0xffffffff00000000ull) == 32);
	pop_pktlen = nfc_rt_popcnt64(pktlen); /* 64-byte frame: 1 */
	CHECK(5, pop_pktlen == 1);
}

SEC("xdp")
int xdp_popcnt(struct xdp_md *ctx)
{
	popcnt_checks(ctx->data_end - ctx->data);
	return XDP_PASS;
}

SEC("tc")
int tc_popcnt(struct __sk_buff *skb)
{
	popcnt_checks(skb->len);
	return 0;
}
