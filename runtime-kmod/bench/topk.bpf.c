// SPDX-License-Identifier: GPL-2.0
/*
 * topk.bpf.c — per-call instruction counts (vm/icount.sh): would a kmod topk pay? The board
 * search of a 16-slot topk with 16-byte keys, the key in slot 11 and slot 4 holding a key that
 * differs only in its last word (the worst case for an early-exit compare):
 *   topk_pure   nf_topk_find: word-wise key compare per occupied slot (nfc's pure lowering)
 *   topk_kmod   nfc_rt_bucket_lookup over {u16 sig[16]; u8 slot[16][16]}, sig = (u16)hash | 1
 *               (the layout a kfunc-based board would need: one extra nf_hash64 per packet)
 * Neither finds the minimum (no kfunc does); the kmod side pays the hash the pure side avoids.
 * The boards are filled by the first run (same contents every run after). XDP_PASS always.
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "nf/nf.h"
#include <nfc_runtime.h>

#define K 16
#define SEED 0x5eedULL

struct board {
	__u32 unused, pad;
	__u32 cnt[K];
	__u8 key[K][16];
};

struct bucket {
	__u16 sig[16];
	__u8 slot[16][16];
};

struct { __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY); __uint(max_entries, 1);
	 __type(key, __u32); __type(value, struct board); } tb SEC(".maps");
struct { __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY); __uint(max_entries, 1);
	 __type(key, __u32); __type(value, struct bucket); } kb SEC(".maps");

/* fills slot i with the packet key with its first byte set to i (slot 11: the key itself; slot 4:
 * the key with its last byte flipped, so it matches on every word but the last) */
static __always_inline void fill(__u8 *slot, const __u8 *key, __u32 i)
{
	__builtin_memcpy(slot, key, 16);
	if (i == 4)
		slot[15] ^= 0xff;
	else if (i != 11)
		slot[0] = (__u8)(i + 1) ^ key[0] ^ 0x80;
}

SEC("xdp")
int topk_pure(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	__u32 zero = 0, key[4];
	struct board *b;

	if (data + 14 + 16 > end)
		return XDP_PASS;
	__builtin_memcpy(key, data + 14, 16);
	b = bpf_map_lookup_elem(&tb, &zero);
	if (!b)
		return XDP_PASS;
	if (!b->cnt[0]) {
		for (__u32 i = 0; i < K; i++) {
			fill(b->key[i], (__u8 *)key, i);
			b->cnt[i] = i + 1;
		}
	}
	if (nf_topk_find(b, K, 16, 4, key) != 11)
		return XDP_DROP;
	return XDP_PASS;
}

SEC("xdp")
int topk_kmod(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	__u32 zero = 0, key[4];
	struct bucket *b;
	__u64 h;

	if (data + 14 + 16 > end)
		return XDP_PASS;
	__builtin_memcpy(key, data + 14, 16);
	b = bpf_map_lookup_elem(&kb, &zero);
	if (!b)
		return XDP_PASS;
	h = nf_hash64(key, 16, SEED);
	if (!b->sig[0]) {
		for (__u32 i = 0; i < K; i++) {
			fill(b->slot[i], (__u8 *)key, i);
			b->sig[i] = (__u16)nf_hash64(b->slot[i], 16, SEED) | 1;
		}
		b->sig[4] = (__u16)h | 1; /* a signature collision as well */
	}
	if (nfc_rt_bucket_lookup(b, sizeof(*b), key, 16, (__u16)h | 1) != 11)
		return XDP_DROP;
	return XDP_PASS;
}

/*
 * topk<N>_pure / topk<N>_kmod, N = 16, 64, 256: what nfc emits for a per-CPU topk on each backend
 * (compiler/blocks/topk.ts, compiler/blocks/kmod/topk.ts) — the same board {u32, pad, cnt[N],
 * key[N][16]}, every slot occupied, the key in the LAST slot (a full scan), each other slot's key
 * differing from it in the first byte. pure: nf_topk_find (u32-word compare, early exit); kmod: one
 * nfc_rt_memcmp() per occupied slot. Per call = the count lookup of a hit (add differs by one store).
 */
#define TOPK_BOARD(N)									\
	struct board##N {								\
		__u32 unused, pad;							\
		__u32 cnt[N];								\
		__u8 key[N][16];							\
	};										\
	struct { __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY); __uint(max_entries, 1);	\
		 __type(key, __u32); __type(value, struct board##N); } tb##N SEC(".maps");	\
	static __always_inline struct board##N *board##N(void *data, __u32 *key)	\
	{										\
		__u32 zero = 0;								\
		struct board##N *b = bpf_map_lookup_elem(&tb##N, &zero);		\
											\
		if (b && !b->cnt[0]) {							\
			for (__u32 i = 0; i < N; i++) {					\
				__builtin_memcpy(b->key[i], key, 16);			\
				if (i != N - 1)						\
					b->key[i][0] ^= 0x80 | (__u8)i;			\
				b->cnt[i] = i + 1;					\
			}								\
		}									\
		return b;								\
	}										\
	SEC("xdp")									\
	int topk##N##_pure(struct xdp_md *ctx)						\
	{										\
		void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;	\
		__u32 key[4];								\
		struct board##N *b;							\
											\
		if (data + 14 + 16 > end)						\
			return XDP_PASS;						\
		__builtin_memcpy(key, data + 14, 16);					\
		b = board##N(data, key);						\
		if (!b)									\
			return XDP_PASS;						\
		return nf_topk_count(b, N, 16, 4, key) == N ? XDP_PASS : XDP_DROP;	\
	}										\
	SEC("xdp")									\
	int topk##N##_kmod(struct xdp_md *ctx)						\
	{										\
		void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;	\
		__u32 key[4], slot = N;							\
		struct board##N *b;							\
											\
		if (data + 14 + 16 > end)						\
			return XDP_PASS;						\
		__builtin_memcpy(key, data + 14, 16);					\
		b = board##N(data, key);						\
		if (!b)									\
			return XDP_PASS;						\
		for (__u32 i = 0; i < N; i++)						\
			if (nf_topk_k_count(b, N, i) != 0 &&				\
			    nfc_rt_memcmp(nf_topk_k_key(b, N, 16, i), 16, key, 16) == 0) {	\
				slot = i;						\
				break;							\
			}								\
		return nf_topk_k_count(b, N, slot) == N ? XDP_PASS : XDP_DROP;		\
	}

TOPK_BOARD(16)
TOPK_BOARD(64)
TOPK_BOARD(256)

char LICENSE[] SEC("license") = "GPL";
