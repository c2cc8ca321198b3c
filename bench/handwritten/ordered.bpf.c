// SPDX-License-Identifier: GPL-2.0
/* Hand-written sorted map (XDP): what a kernel engineer writes for an ordered u32 -> u64 table
 * without nfc — a sorted array with binary search, in ONE array-map value under a bpf_spin_lock
 * (no helper calls inside the lock, so no per-node map lookups: a sorted array is the natural
 * choice). Lookup: a lower-bound binary search, log2(CAP) + 1 steps. Insert: the same search,
 * then the tail shifted up by one (O(n) moves; only while the table fills). The logical twin of
 * bench/nf/ordered.nf: the source address's count is looked up; present → +1, drop above
 * `threshold`; absent → inserted with 1 (refused when full). CAP comes from -D (a power of two). */
#include "hw.h"

#ifndef CAP
#error "compile with -DCAP=<power of two>"
#endif

const volatile __u32 threshold = 1000;

/* The lock goes last: the verifier refuses variable-offset accesses whose range may touch it. */
struct sorted {
	__u32 key[CAP];
	__u64 val[CAP];
	__u32 n;
	struct bpf_spin_lock lock;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct sorted);
} db SEC(".maps");

/* log2(CAP) + 1: enough halvings for a range of CAP + 1 positions. */
#define STEPS (32 - __builtin_clz(CAP))

SEC("xdp")
int ordered_prog(struct xdp_md *ctx)
{
	struct hw_tuple t;
	__u32 zero = 0, k, lo = 0, hi, n;
	__u64 c = 0;
	int found = 0;

	if (!hw_parse(ctx, &t))
		return XDP_PASS;
	k = bpf_ntohl(t.src);
	struct sorted *s = bpf_map_lookup_elem(&db, &zero);
	if (!s)
		return XDP_PASS;

	bpf_spin_lock(&s->lock);
	n = s->n;
	if (n > CAP)
		n = CAP;
	hi = n;
	/*
	 * Branch-free halving: with `if (key[mid] < k) lo = mid + 1; else hi = mid;` the verifier
	 * follows both outcomes of every step with constant lo/hi, 2^STEPS paths (it hit the 1M
	 * instruction limit). Masks keep lo and hi unknown-but-bounded, so each step is one state.
	 */
#pragma clang loop unroll(full)
	for (int i = 0; i < STEPS; i++) {
		__u32 mid = (lo + hi) >> 1;
		__u64 act = ((__u64)lo - hi) >> 63;				/* lo < hi */
		__u64 lt = (((__u64)s->key[mid & (CAP - 1)] - k) >> 63) & act; /* key[mid] < k */
		__u64 ge = act & ~lt;

		asm volatile("" : "+r"(lt), "+r"(ge));
		lo += -lt & (mid + 1 - lo);
		hi -= -ge & (hi - mid);
	}
	if (lo < n && s->key[lo & (CAP - 1)] == k) {
		c = ++s->val[lo & (CAP - 1)];
		found = 1;
	} else if (n < CAP) {
		/* Shift key[lo..CAP-2] up by one (entries past n are unused, so shifting them too is
		 * harmless and keeps n out of the loop). i is a function of the loop counter: every
		 * index is a constant to the verifier, and only lo's range splits per step. */
		for (__u32 j = 0; j < CAP - 1; j++) {
			__u32 i = CAP - 1 - j;

			if (i <= lo)
				break;
			s->key[i] = s->key[i - 1];
			s->val[i] = s->val[i - 1];
		}
		s->key[lo & (CAP - 1)] = k;
		s->val[lo & (CAP - 1)] = 1;
		s->n = n + 1;
	}
	bpf_spin_unlock(&s->lock);
	return found && c > threshold ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
