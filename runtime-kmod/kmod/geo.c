// SPDX-License-Identifier: GPL-2.0
/*
 * geo.c — geometric(p) skip counts for NitroSketch-style sampling, from a per-CPU pool of
 * uniform __u32 refilled in the kernel with get_random_u32() (64 at a time), so a program never
 * calls an RNG helper per packet. No table of precomputed samples: every skip is computed from
 * fresh randomness by an exact integer formula (identical on every CPU):
 *   skip = floor(A / B),  A = -log2((r + 1) / 2^32),  B = -log2(1 - p),  both unsigned Q56.
 * log2 uses the bitwise squaring method (56 rounds of a 64x64->128 multiply).
 */
#include <linux/kernel.h>
#include <linux/percpu.h>
#include <linux/random.h>
#include <linux/bitops.h>
#include <linux/math64.h>
#include <nfc_runtime.h>
#include "compat.h"
#include "internal.h"

#define Q 56
#define POOL 64

struct geo_pool {
	u32 pos; /* next unused index; POOL = empty */
	u32 r[POOL];
	u64 p_q32; /* cache: last p and its B */
	u64 b;
};

static DEFINE_PER_CPU(struct geo_pool, geo_pool) = { .pos = POOL };

/* log2(m) in unsigned Q56, m >= 1 (integer part <= 63, fits: 63 << 56 < 2^62). */
static u64 log2_q56(u64 m)
{
	u32 n = fls64(m) - 1, i;
	/* y = m / 2^n in Q62, in [1, 2) */
	u64 y = n <= 62 ? m << (62 - n) : m >> (n - 62);
	u64 frac = 0;

	for (i = 0; i < Q; i++) {
		y = (u64)(((unsigned __int128)y * y) >> 62); /* [1, 4) in Q62 */
		frac <<= 1;
		if (y >= (1ULL << 63)) {
			y >>= 1;
			frac |= 1;
		}
	}
	return ((u64)n << Q) | frac;
}

/* B = -log2(1 - p) in Q56 for 1 <= p_q32 < 2^32 */
static u64 geo_b(u64 p_q32)
{
	return (32ULL << Q) - log2_q56((1ULL << 32) - p_q32);
}

static u64 geo_skip(u32 r, u64 p_q32, u64 b)
{
	u64 a = (32ULL << Q) - log2_q56((u64)r + 1), s;

	s = div64_u64(a, b);
	return s > U32_MAX ? U32_MAX : s;
}

static u64 geo_next(u64 p_q32)
{
	struct geo_pool *g;
	u64 s;
	u32 r, i;

	if (!p_q32)
		return U32_MAX;
	if (p_q32 >= 1ULL << 32)
		return 0;
	g = get_cpu_ptr(&geo_pool);
	if (g->pos >= POOL) {
		for (i = 0; i < POOL; i++)
			g->r[i] = get_random_u32();
		g->pos = 0;
	}
	r = g->r[g->pos++];
	if (g->p_q32 != p_q32) {
		g->b = geo_b(p_q32);
		g->p_q32 = p_q32;
	}
	s = geo_skip(r, p_q32, g->b);
	put_cpu_ptr(&geo_pool);
	return s;
}

NFC_KFUNC_DEFS_START;

__bpf_kfunc __u64 nfc_rt_geo_skip_of(__u32 r, __u64 p_q32)
{
	if (!p_q32)
		return U32_MAX;
	if (p_q32 >= 1ULL << 32)
		return 0;
	return geo_skip(r, p_q32, geo_b(p_q32));
}

__bpf_kfunc __u64 nfc_rt_geo_next(__u64 p_q32)
{
	return geo_next(p_q32);
}

__bpf_kfunc __u32 nfc_rt_geo_sample(__u32 *countdown, __u64 p_q32)
{
	if (*countdown) {
		(*countdown)--;
		return 0;
	}
	*countdown = geo_next(p_q32);
	return 1;
}

NFC_KFUNC_DEFS_END;
