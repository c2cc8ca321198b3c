// SPDX-License-Identifier: GPL-2.0
/*
 * count_sketch.bpf.c — per-call instruction counts (vm/icount.sh) of one count-sketch add plus
 * one estimate (what an NF does per packet), kmod against pure, 3, 5, 8, 12 and 16 rows of 512 cells.
 *   cs{3,5,8,12,16}_pure   nf_hash64 once, nf_cs_add + nf_cs_estimate: one map lookup per row each,
 *                  the median by a bubble network (stdlib nf/count_sketch.h), chunked PERCPU_ARRAY
 *   cs{3,5,8,12,16}_kmod   nfc_rt_cs_update + nfc_rt_cs_estimate on one single-entry PERCPU_ARRAY value
 * The 16-byte key is in the packet and hashed in place by both. Every program returns XDP_PASS.
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "nf/nf.h"
#include <nfc_runtime.h>

#define WIDTH 512
#define SEED 0x5eedULL

struct cs_chunk { __u32 c[NF_CMS_CHUNK(WIDTH)]; };
struct cs_all3 { __u32 c[3 * WIDTH]; };
struct cs_all5 { __u32 c[5 * WIDTH]; };
struct cs_all8 { __u32 c[8 * WIDTH]; };
struct cs_all12 { __u32 c[12 * WIDTH]; };
struct cs_all16 { __u32 c[16 * WIDTH]; };

struct { __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY); __uint(max_entries, NF_CMS_ENTRIES(3, WIDTH));
	 __type(key, __u32); __type(value, struct cs_chunk); } csp3 SEC(".maps");
struct { __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY); __uint(max_entries, NF_CMS_ENTRIES(5, WIDTH));
	 __type(key, __u32); __type(value, struct cs_chunk); } csp5 SEC(".maps");
struct { __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY); __uint(max_entries, 1);
	 __type(key, __u32); __type(value, struct cs_all3); } csk3 SEC(".maps");
struct { __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY); __uint(max_entries, 1);
	 __type(key, __u32); __type(value, struct cs_all5); } csk5 SEC(".maps");
struct { __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY); __uint(max_entries, NF_CMS_ENTRIES(8, WIDTH));
	 __type(key, __u32); __type(value, struct cs_chunk); } csp8 SEC(".maps");
struct { __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY); __uint(max_entries, 1);
	 __type(key, __u32); __type(value, struct cs_all8); } csk8 SEC(".maps");
struct { __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY); __uint(max_entries, NF_CMS_ENTRIES(12, WIDTH));
	 __type(key, __u32); __type(value, struct cs_chunk); } csp12 SEC(".maps");
struct { __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY); __uint(max_entries, 1);
	 __type(key, __u32); __type(value, struct cs_all12); } csk12 SEC(".maps");
struct { __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY); __uint(max_entries, NF_CMS_ENTRIES(16, WIDTH));
	 __type(key, __u32); __type(value, struct cs_chunk); } csp16 SEC(".maps");
struct { __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY); __uint(max_entries, 1);
	 __type(key, __u32); __type(value, struct cs_all16); } csk16 SEC(".maps");

/* the key in place in the packet (both sides hash it from there) */
static __always_inline void *cs_pkt_key(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;

	if (data + 14 + 16 > end)
		return NULL;
	return data + 14;
}

static __always_inline int cs_pure(struct xdp_md *ctx, void *map, __u32 rows)
{
	void *key = cs_pkt_key(ctx);
	__u64 h;

	if (!key)
		return XDP_ABORTED;
	h = nf_hash64(key, 16, SEED);
	nf_cs_add(map, rows, WIDTH, NF_CMS_CHUNK(WIDTH), h, 1, false);
	return nf_cs_estimate(map, rows, WIDTH, NF_CMS_CHUNK(WIDTH), h) > 0xfffffff ? XDP_DROP : XDP_PASS;
}

static __always_inline int cs_kmod(struct xdp_md *ctx, void *map, __u32 rows, __u32 sz)
{
	struct nfc_rt_sketch sk = { .seed = SEED, .rows = rows, .width = WIDTH, .n = 1 };
	void *key = cs_pkt_key(ctx);
	__u32 zero = 0;
	void *cells;

	if (!key)
		return XDP_ABORTED;
	cells = bpf_map_lookup_elem(map, &zero);
	if (!cells)
		return XDP_ABORTED;
	nfc_rt_cs_update(&sk, cells, sz, key, 16);
	return nfc_rt_cs_estimate(&sk, cells, sz, key, 16) > 0xfffffff ? XDP_DROP : XDP_PASS;
}

SEC("xdp")
int cs3_pure(struct xdp_md *ctx)
{
	return cs_pure(ctx, &csp3, 3);
}

SEC("xdp")
int cs5_pure(struct xdp_md *ctx)
{
	return cs_pure(ctx, &csp5, 5);
}

SEC("xdp")
int cs3_kmod(struct xdp_md *ctx)
{
	return cs_kmod(ctx, &csk3, 3, sizeof(struct cs_all3));
}

SEC("xdp")
int cs5_kmod(struct xdp_md *ctx)
{
	return cs_kmod(ctx, &csk5, 5, sizeof(struct cs_all5));
}

SEC("xdp")
int cs8_pure(struct xdp_md *ctx)
{
	return cs_pure(ctx, &csp8, 8);
}

SEC("xdp")
int cs8_kmod(struct xdp_md *ctx)
{
	return cs_kmod(ctx, &csk8, 8, sizeof(struct cs_all8));
}

SEC("xdp")
int cs12_pure(struct xdp_md *ctx)
{
	return cs_pure(ctx, &csp12, 12);
}

SEC("xdp")
int cs12_kmod(struct xdp_md *ctx)
{
	return cs_kmod(ctx, &csk12, 12, sizeof(struct cs_all12));
}

SEC("xdp")
int cs16_pure(struct xdp_md *ctx)
{
	return cs_pure(ctx, &csp16, 16);
}

SEC("xdp")
int cs16_kmod(struct xdp_md *ctx)
{
	return cs_kmod(ctx, &csk16, 16, sizeof(struct cs_all16));
}

char LICENSE[] SEC("license") = "GPL";
