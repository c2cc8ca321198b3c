// SPDX-License-Identifier: GPL-2.0
/*
 * hll.bpf.c — per-call instruction counts (vm/icount.sh) of one hll add: does the nfc_rt_ffs64
 * kfunc pay for the rank's single bit scan? Both sides hash the 16-byte key in place in the
 * packet (nf_hash64), take register j = h & (m - 1) and update one group (p = 10, per-CPU
 * value, no lock) with nf_hll_update; only the rank differs:
 *   hll_pure   nf_hll_rank: de Bruijn ctz (x & -x, multiply, shift, 64-byte table load)
 *   hll_kmod   nfc_rt_ffs64((h >> p) | 2^(64-p)) (bsf; 1-based = the rank)
 * Every program returns XDP_PASS. Subtract bench.bpf.c's xdp_empty.
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "nf/nf.h"
#include <nfc_runtime.h>

#define P 10
#define SEED 0x5eedULL

struct group {
	__u32 unused;
	__u32 nonzero;
	__u64 deficit;
	__u8 reg[1 << P];
};

struct { __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY); __uint(max_entries, 1);
	 __type(key, __u32); __type(value, struct group); } hg SEC(".maps");

static __always_inline int hll_add(struct xdp_md *ctx, int kmod)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	__u32 zero = 0, rank;
	struct group *g;
	__u64 h;

	if (data + 14 + 16 > end)
		return XDP_PASS;
	h = nf_hash64(data + 14, 16, SEED);
	if (kmod)
		rank = (__u32)nfc_rt_ffs64((h >> P) | (1ULL << (64 - P)));
	else
		rank = nf_hll_rank(h, P);
	g = bpf_map_lookup_elem(&hg, &zero);
	if (!g)
		return XDP_PASS;
	nf_hll_update(g->reg, &g->nonzero, &g->deficit, P, (__u32)h, rank);
	return XDP_PASS;
}

SEC("xdp")
int hll_pure(struct xdp_md *ctx)
{
	return hll_add(ctx, 0);
}

SEC("xdp")
int hll_kmod(struct xdp_md *ctx)
{
	return hll_add(ctx, 1);
}

char LICENSE[] SEC("license") = "GPL";
