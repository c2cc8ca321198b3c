// SPDX-License-Identifier: GPL-2.0
/*
 * nitro.bpf.c — per-call instruction counts (vm/icount.sh) of one NitroSketch add plus one
 * estimate, 5 rows of 512 cells, p = 1/16, kmod against pure. Both sample rows with the
 * stdlib's deterministic gap stream (nf/nitro.h), so both touch the same rows on every run and
 * the mean over 1000 runs covers the same mix of sampled and skipped rows.
 *   nitro5_pure   nf_hash64, nf_nitro_add (a map lookup per sampled row, chunked PERCPU_ARRAY),
 *                 nf_cs_estimate (a lookup per row + bubble-network median)
 *   nitro5_kmod   nf_nitro_add_flat (one single-entry value, looked up only when a row is
 *                 sampled), then nfc_rt_cs_estimate
 *   nitro5_add_pure / nitro5_add_kmod   the sampled add alone (NitroSketch's per-packet work)
 * B = -log2(1 - 1/16) in Q56 (lang/interp/kinds/nitro.ts nitroB(16)).
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "nf/nf.h"
#include <nfc_runtime.h>

#define WIDTH 512
#define ROWS 5
#define ONE_IN 16
#define B16 0x17d60496cfbb4dULL
#define SEED 0x5eedULL

struct nt_chunk { __u32 c[NF_CMS_CHUNK(WIDTH)]; };
struct nt_all { __u32 c[ROWS * WIDTH]; };

struct { __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY); __uint(max_entries, NF_CMS_ENTRIES(ROWS, WIDTH));
	 __type(key, __u32); __type(value, struct nt_chunk); } ntp SEC(".maps");
struct { __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY); __uint(max_entries, 1);
	 __type(key, __u32); __type(value, struct nt_all); } ntk SEC(".maps");
struct { __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY); __uint(max_entries, 1);
	 __type(key, __u32); __type(value, struct nf_nitro_samp); } ntp_samp SEC(".maps");
struct { __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY); __uint(max_entries, 1);
	 __type(key, __u32); __type(value, struct nf_nitro_samp); } ntk_samp SEC(".maps");

static __always_inline void *nt_pkt_key(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;

	if (data + 14 + 16 > end)
		return NULL;
	return data + 14;
}

static __always_inline int nt_pure(struct xdp_md *ctx, bool estimate)
{
	void *key = nt_pkt_key(ctx);
	__u64 h;

	if (!key)
		return XDP_ABORTED;
	h = nf_hash64(key, 16, SEED);
	nf_nitro_add(&ntp, &ntp_samp, ROWS, WIDTH, NF_CMS_CHUNK(WIDTH), h, 1, ONE_IN, B16, false);
	if (estimate && nf_cs_estimate(&ntp, ROWS, WIDTH, NF_CMS_CHUNK(WIDTH), h) > 0xfffffff)
		return XDP_DROP;
	return XDP_PASS;
}

static __always_inline int nt_kmod(struct xdp_md *ctx, bool estimate)
{
	struct nfc_rt_sketch sk = { .seed = SEED, .rows = ROWS, .width = WIDTH };
	void *key = nt_pkt_key(ctx);
	__u32 zero = 0;
	__u32 *cells;

	if (!key)
		return XDP_ABORTED;
	nf_nitro_add_flat(&ntk, &ntk_samp, ROWS, WIDTH, nf_hash64(key, 16, SEED), 1, ONE_IN, B16, false);
	if (!estimate)
		return XDP_PASS;
	cells = bpf_map_lookup_elem(&ntk, &zero);
	if (cells && nfc_rt_cs_estimate(&sk, cells, sizeof(struct nt_all), key, 16) > 0xfffffff)
		return XDP_DROP;
	return XDP_PASS;
}

SEC("xdp")
int nitro5_pure(struct xdp_md *ctx)
{
	return nt_pure(ctx, true);
}

SEC("xdp")
int nitro5_kmod(struct xdp_md *ctx)
{
	return nt_kmod(ctx, true);
}

SEC("xdp")
int nitro5_add_pure(struct xdp_md *ctx)
{
	return nt_pure(ctx, false);
}

SEC("xdp")
int nitro5_add_kmod(struct xdp_md *ctx)
{
	return nt_kmod(ctx, false);
}

char LICENSE[] SEC("license") = "GPL";
