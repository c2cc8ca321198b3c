// SPDX-License-Identifier: GPL-2.0
/* Hand-written HyperLogLog per destination (XDP): GROUPS groups of 2^P u8 registers in a
 * PERCPU_ARRAY, group = destination address & (GROUPS - 1). Per packet: one jhash-based 64-bit
 * hash of the 5-tuple, register = low P bits, rank = 1 + trailing zeros of the rest found by a
 * shift loop. The estimate needs the sum of 2^-reg and the zero count: recomputing them by a
 * scan of the 2^P registers per packet did not pass the verifier (a plain loop, and a bpf_loop
 * whose accumulators the verifier tracks exactly, both hit the 1M-instruction limit), so the group
 * keeps them (fixed point, no floats) and updates them when a register grows. Linear counting
 * m * ln(m / zeros) through an integer log2 for small counts. Drops when the estimate exceeds
 * `threshold`. P and GROUPS come from -D. The logical twin of bench/nf/hll.nf (a different
 * hash, so not the same registers: verdict counts agree within the estimator's error). */
#include "hw.h"

#ifndef P
#error "compile with -DP=<precision>"
#endif
#ifndef GROUPS
#error "compile with -DGROUPS=<power of two>"
#endif
#define M (1u << P)
#define SHIFT (64 - 2 * P) /* fixed point of the harmonic sum */

const volatile __u32 threshold = 1000;

struct group {
	__u64 sum;   /* sum of 2^(SHIFT - reg) over the registers that are not 0 */
	__u32 nonzero; /* registers that are not 0 (all-zero memory is an empty group) */
	__u32 pad;
	__u8 reg[M];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, GROUPS);
	__type(key, __u32);
	__type(value, struct group);
} hll SEC(".maps");

/* floor(log2(v) * 256) for 1 <= v <= 2^16: integer part by clz, 8 fraction bits by squaring */
static __always_inline __u64 log2_q8(__u32 v)
{
	__u64 e = 31 - __builtin_clz(v), x, frac = 0;

	x = (__u64)v << (30 - e);
	for (__u32 i = 1; i <= 8; i++) {
		x = (x * x) >> 30;
		frac = (frac << 1) | (x >> 31);
		x >>= x >> 31;
	}
	return (e << 8) | frac;
}

SEC("xdp")
int hll_prog(struct xdp_md *ctx)
{
	struct hw_tuple t;
	struct group *g;
	__u32 gi, j, rank = 1, zeros = 0;
	__u64 h, rest, sum = 0, est;

	if (!hw_parse(ctx, &t))
		return XDP_PASS;
	gi = bpf_ntohl(t.dst) & (GROUPS - 1);
	g = bpf_map_lookup_elem(&hll, &gi);
	if (!g)
		return XDP_PASS;
	h = ((__u64)hw_jhash_tuple(&t, 0x9e3779b9) << 32) | hw_jhash_tuple(&t, 0x7f4a7c15);
	j = h & (M - 1);
	rest = h >> P;
	for (__u32 i = 0; i < 64 - P; i++) {
		if (rest & 1)
			break;
		rest >>= 1;
		rank++;
	}
	if (g->reg[j] < rank) {
		__u32 old = g->reg[j];

		if (!old)
			g->nonzero++;
		else if (old <= SHIFT)
			g->sum -= 1ULL << (SHIFT - old);
		if (rank <= SHIFT)
			g->sum += 1ULL << (SHIFT - rank);
		g->reg[j] = rank;
	}
	zeros = M - g->nonzero;
	sum = g->sum + ((__u64)zeros << SHIFT);
	/* alpha_m ~ 0.7213 / (1 + 1.079 / m) for m >= 128, as a fraction of 2^64 */
	est = (__u64)(0.7213 / (1 + 1.079 / M) * 18446744073709551616.0) / (sum ? sum : 1);
	if (zeros && est <= 5 * M / 2)
		est = ((__u64)M * ((P << 8) - log2_q8(zeros)) * 177) >> 16; /* 177/256 ~ ln 2 */
	return est > threshold ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
