// SPDX-License-Identifier: GPL-2.0
/*
 * geo.bpf.c — geometric(p) sampling: the exact integer mapping (expected values from an
 * independent Python model of the Q56 algorithm, which also matches floor(ln U / ln(1-p))),
 * then statistics of the per-CPU pool (refilled from get_random_u32) and of the countdown.
 */
#include "selftest.h"

__u32 countdown;
__u64 geo_mean_x100, geo_zeros, sampled, geo_sum;

#define P_HALF (1ull << 31)
#define P_16 (1ull << 28)

static int draw(__u32 i, void *ctx)
{
	__u64 s = nfc_rt_geo_next(P_16);

	geo_sum += s;
	geo_zeros += s == 0;
	return 0;
}

static int sample(__u32 i, void *ctx)
{
	sampled += nfc_rt_geo_sample(&countdown, 1ull << 29);
	return 0;
}

static __always_inline void geo_checks(void)
{
	CHECK(0, nfc_rt_geo_skip_of(0, P_HALF) == 32 && nfc_rt_geo_skip_of(0x7fffffff, P_HALF) == 1);
	CHECK(1, nfc_rt_geo_skip_of(0xffffffff, P_HALF) == 0 && nfc_rt_geo_skip_of(0x80000000, P_HALF) == 0);
	CHECK(2, nfc_rt_geo_skip_of(0x3fffffff, P_HALF) == 2);
	CHECK(3, nfc_rt_geo_skip_of(0, P_16) == 343 && nfc_rt_geo_skip_of(12345, P_16) == 197);
	CHECK(4, nfc_rt_geo_skip_of(0x80000000, P_16) == 10);
	CHECK(5, nfc_rt_geo_skip_of(0xdeadbeef, 1ull << 24) == 35);
	CHECK(6, nfc_rt_geo_skip_of(0, 3ull << 30) == 16 && nfc_rt_geo_skip_of(0x12345678, 0xffffffff) == 0);
	CHECK(7, nfc_rt_geo_skip_of(0, 1) == 0xffffffff);		 /* saturates */
	CHECK(8, nfc_rt_geo_skip_of(5, 1ull << 32) == 0 && nfc_rt_geo_next(1ull << 32) == 0); /* p = 1 */
	CHECK(9, nfc_rt_geo_skip_of(5, 0) == 0xffffffff && nfc_rt_geo_next(0) == 0xffffffff); /* p = 0 */

	/* pool statistics, p = 1/16: mean (1-p)/p = 15 (sd of the mean of 2048 draws ~0.34),
	 * P(skip = 0) = p (expect 128 of 2048, sd ~11). bpf_loop: the callback is verified once. */
	geo_sum = geo_zeros = 0;
	bpf_loop(2048, draw, NULL, 0);
	geo_mean_x100 = geo_sum * 100 / 2048;
	CHECK(10, geo_mean_x100 >= 1350 && geo_mean_x100 <= 1650);
	CHECK(11, geo_zeros >= 80 && geo_zeros <= 180);

	/* countdown: the first event is sampled, then about 1 in 8 (512 of 4096, sd ~21) */
	countdown = 0;
	CHECK(12, nfc_rt_geo_sample(&countdown, 1ull << 29) == 1);
	sampled = 1;
	bpf_loop(4095, sample, NULL, 0);
	CHECK(13, sampled >= 420 && sampled <= 610);
}

SEC("xdp")
int xdp_geo(struct xdp_md *ctx)
{
	geo_checks();
	return XDP_PASS;
}

SEC("tc")
int tc_geo(struct __sk_buff *skb)
{
	geo_checks();
	return 0;
}
