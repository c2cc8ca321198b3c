// SPDX-License-Identifier: GPL-2.0
/* bitops.bpf.c — ffs/fls on edge values and the cFFS hierarchy (1, 2, 3 levels): set/clear keep
 * the summary levels exact, pop returns leaves in ascending order, bad geometry is refused. */
#include "selftest.h"
#include "pure.h"

__u64 cffs2[65];
__u64 cffs3[4161];
__u64 pops, pop_sorted, first3;

static __always_inline void bit_checks(void)
{
	CHECK(0, nfc_rt_ffs64(0) == 0 && nfc_rt_ffs64(1) == 1 && nfc_rt_ffs64(0x50) == 5);
	CHECK(1, nfc_rt_ffs64(0x8000000000000000ull) == 64);
	CHECK(2, nfc_rt_fls64(0) == 0 && nfc_rt_fls64(1) == 1 && nfc_rt_fls64(0x50) == 7);
	CHECK(3, nfc_rt_fls64(~0ull) == 64 && nfc_rt_fls64(0x8000000000000001ull) == 64);
}

static __always_inline void cffs_checks(void)
{
	__u64 one = 0, z = 0;

	CHECK(4, nfc_rt_cffs_first(&one, 8, 1) == -1);
	CHECK(5, nfc_rt_cffs_set(&one, 8, 1, 63) == 0 && one == 1ull << 63);
	CHECK(6, nfc_rt_cffs_set(&one, 8, 1, 64) == -22);
	CHECK(7, nfc_rt_cffs_pop(&one, 8, 1) == 63 && one == 0);

	CHECK(8, nfc_rt_cffs_first(cffs3, sizeof(cffs3), 3) == -1);
	CHECK(9, nfc_rt_cffs_set(cffs3, sizeof(cffs3), 3, 4000) == 0);
	CHECK(10, nfc_rt_cffs_set(cffs3, sizeof(cffs3), 3, 262143) == 0);
	CHECK(11, nfc_rt_cffs_set(cffs3, sizeof(cffs3), 3, 70) == 0);
	CHECK(12, nfc_rt_cffs_set(cffs3, sizeof(cffs3), 3, 70) == 1);
	first3 = nfc_rt_cffs_first(cffs3, sizeof(cffs3), 3);
	CHECK(13, first3 == 70);
	/* summary: top bit 63 (leaf 262143 >> 12), level-1 word 63 bit 63, leaf word 4095 bit 63 */
	CHECK(14, cffs3[0] == ((1ull << 63) | 1ull) && cffs3[1 + 63] == 1ull << 63 &&
		      cffs3[65 + 4095] == 1ull << 63);
	CHECK(15, cffs3[1] == ((1ull << 1) | (1ull << 62)) && cffs3[65 + 1] == 1ull << 6);
	CHECK(16, nfc_rt_cffs_pop(cffs3, sizeof(cffs3), 3) == 70);
	CHECK(17, nfc_rt_cffs_clear(cffs3, sizeof(cffs3), 3, 70) == 0);
	CHECK(18, nfc_rt_cffs_first(cffs3, sizeof(cffs3), 3) == 4000);
	CHECK(19, nfc_rt_cffs_clear(cffs3, sizeof(cffs3), 3, 4000) == 1);
	CHECK(20, nfc_rt_cffs_pop(cffs3, sizeof(cffs3), 3) == 262143);
	for (int i = 0; i < 4161; i++)
		z |= cffs3[i];
	CHECK(21, z == 0); /* every summary bit was cleared with its last leaf */
	CHECK(22, nfc_rt_cffs_set(cffs3, sizeof(cffs3), 3, 262144) == -22);
	CHECK(23, nfc_rt_cffs_first(cffs2, sizeof(cffs2), 3) == -22);
	CHECK(24, nfc_rt_cffs_first(cffs3, sizeof(cffs3), 5) == -22 &&
		      nfc_rt_cffs_first(cffs3, sizeof(cffs3), 0) == -22);

	/* 2 levels: 24 pseudo-random leaves pop in ascending order */
	for (int i = 0; i < 24; i++)
		nfc_rt_cffs_set(cffs2, sizeof(cffs2), 2, pure_fmix64(i + 1) & 4095);
	__s64 prev = -1, leaf;

	pops = 0;
	pop_sorted = 1;
	for (int i = 0; i < 30; i++) {
		leaf = nfc_rt_cffs_pop(cffs2, sizeof(cffs2), 2);
		if (leaf < 0)
			break;
		pops++;
		if (leaf <= prev)
			pop_sorted = 0;
		prev = leaf;
	}
	CHECK(25, pops >= 20 && pops <= 24 && pop_sorted == 1 && cffs2[0] == 0);
}

SEC("xdp")
int xdp_bitops(struct xdp_md *ctx)
{
	bit_checks();
	cffs_checks();
	return XDP_PASS;
}

SEC("tc")
int tc_bitops(struct __sk_buff *skb)
{
	bit_checks();
	cffs_checks();
	return 0;
}
