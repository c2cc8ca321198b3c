// SPDX-License-Identifier: GPL-2.0
/* Hand-written count-min sketch (XDP): ROWS rows of WIDTH u32 cells in one PERCPU_ARRAY of
 * ROWS * WIDTH entries; per row one seeded jhash of the 5-tuple and one map lookup; the packet's
 * cells are incremented (add 1) and their minimum taken (estimate) in the same pass. Drops the
 * packet when the estimate exceeds `threshold`. ROWS and WIDTH come from -D (bench/main.ts).
 * The logical twin of bench/nf/cms_<ROWS>.nf. */
#include "hw.h"

#ifndef ROWS
#error "compile with -DROWS=<rows>"
#endif
#ifndef WIDTH
#error "compile with -DWIDTH=<power of two>"
#endif

const volatile __u32 threshold = 1000;

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, ROWS * WIDTH);
	__type(key, __u32);
	__type(value, __u32);
} cms SEC(".maps");

SEC("xdp")
int cms_prog(struct xdp_md *ctx)
{
	struct hw_tuple t;
	if (!hw_parse(ctx, &t))
		return XDP_PASS;

	__u32 est = 0xffffffff;
#pragma clang loop unroll(full)
	for (__u32 r = 0; r < ROWS; r++) {
		__u32 key = r * WIDTH + (hw_jhash_tuple(&t, HW_SEED(r)) & (WIDTH - 1));
		__u32 *cell = bpf_map_lookup_elem(&cms, &key);
		if (!cell)
			continue;
		*cell += 1;
		if (*cell < est)
			est = *cell;
	}
	return est > threshold ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
