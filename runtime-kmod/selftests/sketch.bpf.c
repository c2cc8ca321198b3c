// SPDX-License-Identifier: GPL-2.0
/*
 * sketch.bpf.c — fused multi-hash kfuncs against the pure index math (pure.h):
 * count-min add/estimate with 4 and 8 rows (EVERY row's cell must change on add: the public
 * artifact updated only 1-2 of k rows), shared (atomic) mode, no stray writes, bad shapes;
 * count-sketch signs and median; bloom add/test with every expected bit. XDP and TC.
 */
#include "selftest.h"
#include "pure.h"

#define W4 256
#define W8 64
__u32 cms4[4 * W4];
__u32 cms8[8 * W8];
__u32 cmsa[4 * W4]; /* atomic mode */
__s32 cs5[5 * 64];
__u64 bloom[1024 / 64];

__u64 est4, est8, rows_changed, cs_est, bloom_bits;

static __always_inline __u32 sum_cells(__u32 *c, __u32 n)
{
	__u32 s = 0;

	for (__u32 i = 0; i < n && i < 4 * W4; i++)
		s += c[i];
	return s;
}

static __always_inline void cms_checks(void)
{
	__u8 key[16] = { 10, 0, 0, 1, 10, 0, 0, 2, 0x30, 0x39, 0, 80, 6, 0, 0, 0 };
	struct nfc_rt_sketch sk = { .seed = 0x1234, .rows = 4, .width = W4, .n = 5 };
	__u64 h = pure_hash64(key, 16, 0x1234);
	__u32 before[8], changed = 0, min = ~0u;
	__s64 r;

	/* 4 rows: pre-load some noise so "changed" is not just "non-zero" */
	for (__u32 i = 0; i < 4; i++)
		cms4[i * W4 + pure_dh(h, i, W4 - 1)] = 100 * (i + 1);
	for (__u32 i = 0; i < 4; i++)
		before[i] = cms4[i * W4 + pure_dh(h, i, W4 - 1)];
	r = nfc_rt_cms_add(&sk, cms4, sizeof(cms4), key, 16);
	for (__u32 i = 0; i < 4; i++) {
		__u32 v = cms4[i * W4 + pure_dh(h, i, W4 - 1)];

		changed += v == before[i] + 5;
		if (v < min)
			min = v;
	}
	rows_changed = changed;
	CHECK(0, changed == 4);
	CHECK(1, r == min && r == 105);
	CHECK(2, sum_cells(cms4, 4 * W4) == 100 + 200 + 300 + 400 + 4 * 5); /* no stray write */
	est4 = nfc_rt_cms_estimate(&sk, cms4, sizeof(cms4), key, 16);
	CHECK(3, est4 == 105);

	/* 8 rows, narrow: three keys, the estimate is the pure min over the 8 rows */
	struct nfc_rt_sketch s8 = { .seed = 7, .rows = 8, .width = W8, .n = 1 };
	__u8 k2[4] = { 1, 2, 3, 4 }, k3[4] = { 5, 6, 7, 8 }, k4[4] = { 9, 9, 9, 9 };
	__u64 h2 = pure_hash64(k2, 4, 7);

	s8.n = 3;
	nfc_rt_cms_add(&s8, cms8, sizeof(cms8), k2, 4);
	s8.n = 4;
	nfc_rt_cms_add(&s8, cms8, sizeof(cms8), k3, 4);
	s8.n = 2;
	r = nfc_rt_cms_add(&s8, cms8, sizeof(cms8), k4, 4);
	changed = 0;
	min = ~0u;
	for (__u32 i = 0; i < 8; i++) {
		__u32 v = cms8[i * W8 + pure_dh(h2, i, W8 - 1)];

		changed += v >= 3;
		if (v < min)
			min = v;
	}
	est8 = nfc_rt_cms_estimate(&s8, cms8, sizeof(cms8), k2, 4);
	CHECK(4, changed == 8);
	CHECK(5, est8 == min && est8 >= 3);
	CHECK(6, r >= 2 && nfc_rt_cms_estimate(&s8, cms8, sizeof(cms8), k4, 4) == r);
	CHECK(7, sum_cells(cms8, 8 * W8) == 8 * (3 + 4 + 2));

	/* shared (atomic) mode gives the same numbers */
	sk.flags = NFC_RT_SK_ATOMIC;
	nfc_rt_cms_add(&sk, cmsa, sizeof(cmsa), key, 16);
	r = nfc_rt_cms_add(&sk, cmsa, sizeof(cmsa), key, 16);
	CHECK(8, r == 10 && sum_cells(cmsa, 4 * W4) == 40);
	for (__u32 i = 0; i < 4; i++)
		CHECK(9, cmsa[i * W4 + pure_dh(h, i, W4 - 1)] == 10);

	/* bad shapes are refused, nothing written */
	sk.flags = 0;
	sk.rows = 0;
	CHECK(10, nfc_rt_cms_add(&sk, cms4, sizeof(cms4), key, 16) == -22);
	sk.rows = 17;
	CHECK(11, nfc_rt_cms_add(&sk, cms4, sizeof(cms4), key, 16) == -22);
	sk.rows = 4;
	sk.width = 100;
	CHECK(12, nfc_rt_cms_add(&sk, cms4, sizeof(cms4), key, 16) == -22);
	sk.width = W4;
	CHECK(13, nfc_rt_cms_add(&sk, cms4, sizeof(cms4) - 4, key, 16) == -22);
	CHECK(14, sum_cells(cms4, 4 * W4) == 1020);
}

static __always_inline void cs_checks(void)
{
	__u8 key[8] = { 'c', 'o', 'u', 'n', 't', 's', 'k', 'e' };
	struct nfc_rt_sketch sk = { .seed = 99, .rows = 5, .width = 64, .n = 7 };
	__u64 h = pure_hash64(key, 8, 99), g = pure_fmix64(h);
	__u32 ok = 0;

	CHECK(15, nfc_rt_cs_update(&sk, cs5, sizeof(cs5), key, 8) == 0);
	for (__u32 i = 0; i < 5; i++) {
		__s32 v = cs5[i * 64 + pure_dh(h, i, 63)];

		ok += v == (((g >> i) & 1) ? -7 : 7);
	}
	CHECK(16, ok == 5);
	cs_est = nfc_rt_cs_estimate(&sk, cs5, sizeof(cs5), key, 8);
	CHECK(17, cs_est == 7);
	sk.n = (__u32)-2;
	nfc_rt_cs_update(&sk, cs5, sizeof(cs5), key, 8);
	CHECK(18, nfc_rt_cs_estimate(&sk, cs5, sizeof(cs5), key, 8) == 5);
	/* even rows: floor of the mean of the two middle values */
	sk.rows = 4;
	CHECK(19, nfc_rt_cs_estimate(&sk, cs5, sizeof(cs5), key, 8) == 5);
	sk.rows = 0;
	CHECK(20, nfc_rt_cs_estimate(&sk, cs5, sizeof(cs5), key, 8) == NFC_RT_CS_EINVAL);
}

static __always_inline void bloom_checks(void)
{
	__u8 a[6] = { 2, 0, 0, 0, 0, 1 }, b[6] = { 2, 0, 0, 0, 0, 2 };
	struct nfc_rt_sketch sk = { .seed = 3, .rows = 7, .width = 1024, .flags = NFC_RT_SK_ATOMIC };
	__u64 h = pure_hash64(a, 6, 3), hb = pure_hash64(b, 6, 3);
	__u32 set = 0, b_all = 1;

	CHECK(21, nfc_rt_bloom_test(&sk, bloom, sizeof(bloom), a, 6) == 0);
	CHECK(22, nfc_rt_bloom_add(&sk, bloom, sizeof(bloom), a, 6) == 0);
	CHECK(23, nfc_rt_bloom_test(&sk, bloom, sizeof(bloom), a, 6) == 1);
	CHECK(24, nfc_rt_bloom_add(&sk, bloom, sizeof(bloom), a, 6) == 1);
	for (__u32 i = 0; i < 7; i++) {
		__u32 bit = pure_dh(h, i, 1023);

		set += (bloom[bit / 64] >> (bit & 63)) & 1;
	}
	CHECK(25, set == 7);
	bloom_bits = 0;
	for (__u32 i = 0; i < 16; i++)
		bloom_bits += nfc_rt_popcnt64(bloom[i]);
	CHECK(26, bloom_bits >= 1 && bloom_bits <= 7);
	for (__u32 i = 0; i < 7; i++) {
		__u32 bit = pure_dh(hb, i, 1023);

		b_all &= (bloom[bit / 64] >> (bit & 63)) & 1;
	}
	CHECK(27, nfc_rt_bloom_test(&sk, bloom, sizeof(bloom), b, 6) == b_all);
	sk.width = 32; /* < 64 bits */
	CHECK(28, nfc_rt_bloom_test(&sk, bloom, sizeof(bloom), a, 6) == -22);
}

SEC("xdp")
int xdp_cms(struct xdp_md *ctx)
{
	cms_checks();
	return XDP_PASS;
}

SEC("tc")
int tc_cms(struct __sk_buff *skb)
{
	cms_checks();
	return 0;
}

SEC("xdp")
int xdp_cs(struct xdp_md *ctx)
{
	cs_checks();
	return XDP_PASS;
}

SEC("xdp")
int xdp_bloom(struct xdp_md *ctx)
{
	bloom_checks();
	return XDP_PASS;
}

SEC("tc")
int tc_bloom(struct __sk_buff *skb)
{
	bloom_checks();
	return 0;
}
