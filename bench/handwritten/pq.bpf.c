// SPDX-License-Identifier: GPL-2.0
/* Hand-written bucketed priority queue (XDP), what one writes without nfc: RANKS rings of DEPTH
 * 5-tuples (a per-rank counter and head), the lowest non-empty rank found by a linear scan, all in
 * one PERCPU_ARRAY value. Every IPv4 packet pushes its flow at rank (src ^ dst) & (RANKS - 1)
 * (dropped when that ring is full), and once LIMIT elements wait pops the head of the lowest
 * non-empty rank, dropping the packet when that flow's source is odd. The twin of bench/nf/pq.nf
 * (there one pool of slots is shared by all ranks; with at most LIMIT waiting neither side fills). */
#include "hw.h"

#ifndef RANKS
#define RANKS 32
#endif
#ifndef DEPTH
#define DEPTH 32
#endif
#ifndef LIMIT
#define LIMIT 32
#endif

struct pq {
	__u32 len;
	__u8 head[RANKS];
	__u8 cnt[RANKS];
	struct hw_tuple ent[RANKS][DEPTH];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct pq);
} pq SEC(".maps");

static __always_inline int push(struct pq *q, __u32 r, const struct hw_tuple *v)
{
	__u32 i;

	r &= RANKS - 1;
	if (q->cnt[r] >= DEPTH)
		return 0;
	i = (q->head[r] + q->cnt[r]) % DEPTH;
	q->ent[r][i] = *v;
	q->cnt[r]++;
	q->len++;
	return 1;
}

static __always_inline int pop_min(struct pq *q, struct hw_tuple *out)
{
	for (__u32 r = 0; r < RANKS; r++) {
		if (q->cnt[r]) {
			__u32 h = q->head[r] % DEPTH;

			*out = q->ent[r][h];
			q->head[r] = (h + 1) % DEPTH;
			q->cnt[r]--;
			q->len--;
			return 1;
		}
	}
	return 0;
}

SEC("xdp")
int pq_prog(struct xdp_md *ctx)
{
	struct hw_tuple t, x;
	__u32 zero = 0;
	struct pq *q;

	if (!hw_parse(ctx, &t))
		return XDP_PASS;
	q = bpf_map_lookup_elem(&pq, &zero);
	if (!q)
		return XDP_PASS;
	if (!push(q, bpf_ntohl(t.src ^ t.dst), &t))
		return XDP_DROP;
	if (q->len >= LIMIT && pop_min(q, &x) && (bpf_ntohl(x.src) & 1))
		return XDP_DROP;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
