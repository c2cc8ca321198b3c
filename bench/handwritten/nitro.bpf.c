// SPDX-License-Identifier: GPL-2.0
/* Hand-written NitroSketch update (XDP), the eNetSTL paper's pure-eBPF baseline: ROWS count-sketch
 * rows of WIDTH signed 32-bit cells in one PERCPU_ARRAY of ROWS * WIDTH entries; for every row one
 * bpf_get_prandom_u32() decides whether the row is sampled (probability 1/ONE_IN); a sampled row
 * gets one seeded jhash of the 5-tuple (column = low bits, sign = bit 31), one map lookup and
 * +-ONE_IN. Queries are the control plane's (as in NitroSketch); every packet passes. ROWS, WIDTH
 * and ONE_IN come from -D. The logical twin of bench/nf/nitro_<ROWS>.nf. */
#include "hw.h"

#ifndef ROWS
#error "compile with -DROWS=<rows>"
#endif
#ifndef WIDTH
#error "compile with -DWIDTH=<power of two>"
#endif
#ifndef ONE_IN
#error "compile with -DONE_IN=<power of two: 1/p>"
#endif

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, ROWS * WIDTH);
	__type(key, __u32);
	__type(value, __s32);
} nitro SEC(".maps");

SEC("xdp")
int nitro_prog(struct xdp_md *ctx)
{
	struct hw_tuple t;

	if (!hw_parse(ctx, &t))
		return XDP_PASS;

#pragma clang loop unroll(full)
	for (__u32 r = 0; r < ROWS; r++) {
		if (bpf_get_prandom_u32() & (ONE_IN - 1))
			continue;
		__u32 h = hw_jhash_tuple(&t, HW_SEED(r));
		__u32 key = r * WIDTH + (h & (WIDTH - 1));
		__s32 *cell = bpf_map_lookup_elem(&nitro, &key);
		if (cell)
			*cell += (h >> 31) ? -ONE_IN : ONE_IN;
	}
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
