// SPDX-License-Identifier: GPL-2.0
/* hash.bpf.c — nfc_rt_hash64 against stdlib/test/vectors/hash.json (lengths 1..64, seeds), the
 * pure twin against the same vectors, and both on packet memory, from XDP and TC. */
#include "selftest.h"
#include "pure.h"

__u64 hash_pkt;


static __always_inline void vectors(void)
{
	/* "zeros len 1/7/8/9/16/64" and "ones len ..." vectors */
	__u8 z[64] = {}, o[64];
	__u8 flow[16] = { 0xac, 0x10, 0x00, 0x09, 0xac, 0x10, 0x00, 0x0a, 0, 0, 0, 0, 1, 0, 0, 0 };
	__u8 r9[9] = { 0x73, 0xaf, 0xcf, 0x1b, 0xd4, 0x94, 0x4a, 0x90, 0x36 };

	__builtin_memset(o, 0xff, sizeof(o));
	CHECK(0, nfc_rt_hash64(z, 1, 0) == 0x68df25aba1c06decULL);
	CHECK(1, nfc_rt_hash64(o, 1, ~0ULL) == 0x6abeacac4720b7ebULL);
	CHECK(2, nfc_rt_hash64(z, 7, 0) == 0x210c734d29d99ea6ULL);
	CHECK(3, nfc_rt_hash64(o, 8, ~0ULL) == 0xb852e0c5741d67eeULL);
	CHECK(4, nfc_rt_hash64(z, 9, 0) == 0xbce2c5739c288d93ULL);
	CHECK(5, nfc_rt_hash64(o, 16, ~0ULL) == 0xf51c923af1c30ef3ULL);
	CHECK(6, nfc_rt_hash64(z, 64, 0) == 0x7ed9e667a7d17880ULL);
	CHECK(7, nfc_rt_hash64(o, 64, ~0ULL) == 0xf3d81c7e2432bb61ULL);
	CHECK(8, nfc_rt_hash64(flow, 16, 0) == 0x1c223773f9c5aedbULL);
	CHECK(9, nfc_rt_hash64(flow, 16, 0x0123456789abcdefULL) == 0x5bbe69d4f23c97bdULL);
	CHECK(10, nfc_rt_hash64(r9, 9, 0x0123456789abcdefULL) == 0xfe0325903fe07aa1ULL);
	/* the twin used by the other selftests agrees on the same vectors */
	CHECK(11, pure_hash64(flow, 16, 0x0123456789abcdefULL) == 0x5bbe69d4f23c97bdULL);
	CHECK(12, pure_hash64(r9, 9, 0x0123456789abcdefULL) == 0xfe0325903fe07aa1ULL);
	CHECK(13, pure_hash64(o, 7, ~0ULL) == 0x19e8a9e26091a5a3ULL);
}

SEC("xdp")
int xdp_hash(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;

	if (data + 14 + 9 > end)
		return XDP_ABORTED;
	hash_pkt = nfc_rt_hash64(data + 14, 9, 7);
	CHECK(14, hash_pkt == pure_hash64(data + 14, 9, 7));
	vectors();
	return XDP_PASS;
}

SEC("tc")
int tc_hash(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data, *end = (void *)(long)skb->data_end;

	if (data + 14 + 9 > end)
		return 2;
	hash_pkt = nfc_rt_hash64(data + 14, 9, 7);
	CHECK(14, hash_pkt == pure_hash64(data + 14, 9, 7));
	vectors();
	return 0;
}
