// SPDX-License-Identifier: GPL-2.0
/* Hand-written count sketch (XDP): ROWS rows of WIDTH signed 32-bit cells in one PERCPU_ARRAY of
 * ROWS * WIDTH entries. Per row one seeded jhash of the 5-tuple gives the column (low bits) and
 * the sign (bit 31); one map lookup per row; the cell gets +-1 (add) and sign * cell is kept for
 * the estimate, the median of the rows (bubble sort). Drops the packet when the estimate
 * exceeds `threshold`. ROWS and WIDTH come from -D. The logical twin of bench/nf/cs_<ROWS>.nf. */
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
	__type(value, __s32);
} cs SEC(".maps");

SEC("xdp")
int cs_prog(struct xdp_md *ctx)
{
	struct hw_tuple t;
	__s64 v[ROWS], x;

	if (!hw_parse(ctx, &t))
		return XDP_PASS;

#pragma clang loop unroll(full)
	for (__u32 r = 0; r < ROWS; r++) {
		__u32 h = hw_jhash_tuple(&t, HW_SEED(r));
		__u32 key = r * WIDTH + (h & (WIDTH - 1));
		__s32 *cell = bpf_map_lookup_elem(&cs, &key);
		__s32 sign = (h >> 31) ? -1 : 1;

		x = 0;
		if (cell) {
			*cell += sign;
			x = (__s64)sign * *cell;
		}
		v[r] = x;
	}
	/* median: bubble sort of the ROWS values (fully unrolled, constant indices) */
#pragma clang loop unroll(full)
	for (__u32 i = 0; i < ROWS; i++) {
#pragma clang loop unroll(full)
		for (__u32 j = 0; j + 1 < ROWS - i; j++) {
			if (v[j] > v[j + 1]) {
				x = v[j];
				v[j] = v[j + 1];
				v[j + 1] = x;
			}
		}
	}
	__s64 m = (ROWS & 1) ? v[ROWS / 2] : (v[ROWS / 2 - 1] + v[ROWS / 2]) >> 1;
	return m > (__s64)threshold ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
