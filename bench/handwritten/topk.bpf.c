// SPDX-License-Identifier: GPL-2.0
/* Hand-written Space-Saving top-k (XDP): K slots of (5-tuple, count) in one PERCPU_ARRAY value.
 * A linear pass compares every occupied slot's full key with the packet's tuple; a hit adds 1,
 * a miss finds the smallest count and its first slot (two more passes) and overwrites that slot
 * with count min + 1. Drops the packet when the flow's count exceeds `threshold`. K comes from -D.
 * The logical twin of bench/nf/topk.nf (same slots, same tie rule: the lowest minimum slot). */
#include "hw.h"

#ifndef K
#error "compile with -DK=<slots>"
#endif

const volatile __u32 threshold = 1000;

struct topk {
	struct hw_tuple key[K];
	__u32 cnt[K];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct topk);
} topk SEC(".maps");

SEC("xdp")
int topk_prog(struct xdp_md *ctx)
{
	struct hw_tuple t;
	__u32 zero = 0, hit = K, min = 0xffffffff;
	struct topk *s;

	if (!hw_parse(ctx, &t))
		return XDP_PASS;
	s = bpf_map_lookup_elem(&topk, &zero);
	if (!s)
		return XDP_PASS;
	for (__u32 i = 0; i < K; i++) {
		struct hw_tuple *k = &s->key[i];

		if (s->cnt[i] && k->src == t.src && k->dst == t.dst && k->ports == t.ports &&
		    k->proto == t.proto) {
			hit = i;
			break;
		}
	}
	if (hit >= K) {
		/* the minimum count, then its first slot (one loop tracking both the value and the
		 * index gives the verifier a path per candidate index: it gave up at 1M insns) */
		for (__u32 i = 0; i < K; i++)
			if (s->cnt[i] < min)
				min = s->cnt[i];
		for (__u32 i = 0; i < K; i++) {
			if (s->cnt[i] == min) {
				hit = i;
				break;
			}
		}
		if (hit >= K)
			return XDP_PASS;
		s->key[hit] = t;
	}
	if (s->cnt[hit] != 0xffffffff)
		s->cnt[hit] += 1;
	return s->cnt[hit] > threshold ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
