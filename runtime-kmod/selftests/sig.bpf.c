// SPDX-License-Identifier: GPL-2.0
/*
 * sig.bpf.c — 16-lane signature mask / find-first and the fused cuckoo bucket lookup, against a
 * lane-by-lane loop computed here. Full-key compare: a key differing from the stored one at ANY
 * of its 16 byte positions must not match (the public artifact's compare always said "equal").
 * Keys from the stack, a map value and the packet; XDP and TC.
 */
#include "selftest.h"
#include "pure.h"

struct nfc_test_bucket {
	__u16 sig[16];
	__u8 slot[16][32]; /* 16-byte key + 16-byte value */
} bkt;

__u64 mask_beef, find_beef, lookup_hit, lookups_wrong;

static __always_inline __u32 lanes_eq(__u16 sig)
{
	__u32 m = 0;

	for (int i = 0; i < 16; i++)
		m |= (((__u32)(bkt.sig[i] ^ sig) - 1) >> 31) << i; /* 1 iff equal; branch-free */
	return m;
}

static __always_inline void sig_checks(void *pkt9)
{
	__u8 key[16];
	__u32 agree = 0;

	for (int i = 0; i < 16; i++)
		bkt.sig[i] = 0x100 + i;
	bkt.sig[3] = bkt.sig[9] = bkt.sig[15] = 0xbeef;
	bkt.sig[0] = 0; /* empty lane */
	mask_beef = nfc_rt_sig16_mask(bkt.sig, 32, 0xbeef);
	CHECK(0, mask_beef == ((1u << 3) | (1u << 9) | (1u << 15)));
	find_beef = nfc_rt_sig16_find(bkt.sig, 32, 0xbeef);
	CHECK(1, find_beef == 3);
	CHECK(2, nfc_rt_sig16_mask(bkt.sig, 32, 0x1beef) == mask_beef); /* low 16 bits only */
	CHECK(3, nfc_rt_sig16_mask(bkt.sig, 32, 0x1234) == 0 &&
		     nfc_rt_sig16_find(bkt.sig, 32, 0x1234) == -1);
	CHECK(4, nfc_rt_sig16_find(bkt.sig, 32, 0x10f) == -1 && nfc_rt_sig16_find(bkt.sig, 32, 0x10e) == 14);
	CHECK(5, nfc_rt_sig16_mask(bkt.sig, 32, 0) == 1); /* raw mask: lane 0 holds 0 */
	CHECK(6, nfc_rt_sig16_mask(bkt.sig, 30, 0xbeef) == 0); /* wrong size */
	/* bit-identical with the lane loop over pseudo-random lanes and queries */
	for (int q = 0; q < 8; q++) {
		__u64 h = pure_fmix64(q + 1);

		for (int i = 0; i < 16; i++)
			bkt.sig[i] = (__u16)(h >> ((i & 3) * 16)) & (q < 4 ? 0x3 : 0xffff);
		agree += nfc_rt_sig16_mask(bkt.sig, 32, (__u16)h & (q < 4 ? 0x3 : 0xffff)) ==
			 lanes_eq((__u16)h & (q < 4 ? 0x3 : 0xffff));
	}
	CHECK(7, agree == 8);

	/* bucket: lanes 3, 9, 15 share signature 0xbeef; keys differ */
	__builtin_memset(&bkt, 0, sizeof(bkt));
	bkt.sig[3] = bkt.sig[9] = bkt.sig[15] = 0xbeef;
	for (int j = 0; j < 16; j++) {
		bkt.slot[3][j] = 0x30 + j;
		bkt.slot[9][j] = 0x90 + j;
		bkt.slot[15][j] = 0xf0 + j;
		key[j] = 0x90 + j;
	}
	lookup_hit = nfc_rt_bucket_lookup(&bkt, sizeof(bkt), key, 16, 0xbeef);
	CHECK(8, lookup_hit == 9);
	lookups_wrong = 0;
	for (int j = 0; j < 16; j++) {
		key[j] ^= 0x01;
		lookups_wrong += nfc_rt_bucket_lookup(&bkt, sizeof(bkt), key, 16, 0xbeef) != -1;
		key[j] ^= 0x01;
	}
	CHECK(9, lookups_wrong == 0);
	CHECK(10, nfc_rt_bucket_lookup(&bkt, sizeof(bkt), key, 16, 0xbeee) == -1); /* wrong sig */
	CHECK(11, nfc_rt_bucket_lookup(&bkt, sizeof(bkt), bkt.slot[0], 16, 0) == -1); /* empty */
	CHECK(12, nfc_rt_bucket_lookup(&bkt, sizeof(bkt), bkt.slot[15], 16, 0xbeef) == 15);
	CHECK(13, nfc_rt_bucket_lookup(&bkt, sizeof(bkt), bkt.slot[15], 16, 0x1beef) == 15);
	/* identical keys in two lanes: the lowest lane wins */
	__builtin_memcpy(bkt.slot[15], bkt.slot[9], 16);
	CHECK(14, nfc_rt_bucket_lookup(&bkt, sizeof(bkt), key, 16, 0xbeef) == 9);
	/* shorter key (prefix compare of key__sz bytes), key longer than the stride refused */
	CHECK(15, nfc_rt_bucket_lookup(&bkt, sizeof(bkt), key, 4, 0xbeef) == 9);
	CHECK(16, nfc_rt_bucket_lookup(&bkt, 32 + 16 * 8, key, 16, 0xbeef) == -1);
	/* a key straight from the packet ("123456789") */
	bkt.sig[5] = 0x55;
	__builtin_memcpy(bkt.slot[5], "123456789", 9);
	CHECK(17, nfc_rt_bucket_lookup(&bkt, sizeof(bkt), pkt9, 9, 0x55) == 5);
}

SEC("xdp")
int xdp_sig(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;

	if (data + 14 + 9 > end)
		return XDP_ABORTED;
	sig_checks(data + 14);
	return XDP_PASS;
}

SEC("tc")
int tc_sig(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data, *end = (void *)(long)skb->data_end;

	if (data + 14 + 9 > end)
		return 2;
	sig_checks(data + 14);
	return 0;
}
