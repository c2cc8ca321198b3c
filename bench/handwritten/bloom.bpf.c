// SPDX-License-Identifier: GPL-2.0
/* Hand-written bloom filter (XDP): BITS bits as a PERCPU_ARRAY of BITS / 64 u64 words; HASHES
 * seeded jhashes of the 5-tuple, one map lookup per hash. Each bit is tested (contains) and set
 * (insert) in the same pass; a packet whose bits were all set already is dropped. BITS and HASHES
 * come from -D. The logical twin of bench/nf/bloom.nf. */
#include "hw.h"

#ifndef BITS
#error "compile with -DBITS=<power of two>"
#endif
#ifndef HASHES
#error "compile with -DHASHES=<k>"
#endif

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, BITS / 64);
	__type(key, __u32);
	__type(value, __u64);
} bloom SEC(".maps");

SEC("xdp")
int bloom_prog(struct xdp_md *ctx)
{
	struct hw_tuple t;
	if (!hw_parse(ctx, &t))
		return XDP_PASS;

	int seen = 1;
#pragma clang loop unroll(full)
	for (__u32 i = 0; i < HASHES; i++) {
		__u32 bit = hw_jhash_tuple(&t, HW_SEED(i)) & (BITS - 1);
		__u32 key = bit / 64;
		__u64 *w = bpf_map_lookup_elem(&bloom, &key);
		if (!w)
			continue;
		__u64 m = 1ULL << (bit & 63);
		if (!(*w & m)) {
			seen = 0;
			*w |= m;
		}
	}
	return seen ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
