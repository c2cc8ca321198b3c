/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nf/hll.h - HyperLogLog distinct counters over a BPF array map (pure-BPF backend).
 *
 * An hll of G groups with m = 2^p registers is an ARRAY (shared) or PERCPU_ARRAY (per_cpu) map of
 * G entries, one per group:
 *	struct {
 *		struct bpf_spin_lock lock;	// per_cpu: __u32 unused
 *		__u32 nonzero;			// registers != 0
 *		__u64 deficit;			// 2^(64-p) - sum of 2^(S - reg[j]), S = 64 - 2p
 *		__u8 reg[m];
 *	};
 * All-zero memory is an empty counter. add() hashes the key once: register j = h & (m - 1), rank
 * = 1 + trailing zeros of (h >> p) with a sentinel bit at 64 - p (1..65-p), found with a de Bruijn
 * multiply. A register that grows updates nonzero and deficit, so estimate() is O(1) integer math:
 * raw = A / (2^(64-p) - deficit) with A = floor(alpha_m * 2^64), and linear counting
 * m * ln(m / zeros) from a 20-bit fixed-point log2 while zeros > 0 and raw <= 5m/2.
 * Semantics and the exact formula: lang/blocks/hll.ts (hllEstimate); docs/blocks/hll.md.
 */
#ifndef NF_HLL_H
#define NF_HLL_H

#include "common.h"

#define NF_HLL_LOG_FRAC 20
#define NF_HLL_LN2_Q24 11629080ULL /* ln 2 * 2^24 */

static const __u8 nf_hll_debruijn64[64] = {
	0,  1,	2,  53, 3,  7,	54, 27, 4,  38, 41, 8,	34, 55, 48, 28, 62, 5,	39, 46, 44, 42,
	22, 9,	24, 35, 59, 56, 49, 18, 29, 11, 63, 52, 6,  26, 37, 40, 33, 47, 61, 45, 43, 21,
	23, 58, 17, 10, 51, 25, 36, 32, 60, 20, 57, 16, 50, 31, 19, 15, 30, 14, 13, 12,
};

/**
 * nf_hll_ctz64() - count trailing zeros with a de Bruijn multiply (no loop, one table load).
 * @x: a non-zero value.
 *
 * Return: the index of the lowest set bit of @x (0..63).
 */
static __always_inline __u32 nf_hll_ctz64(__u64 x)
{
	return nf_hll_debruijn64[((x & -x) * 0x022fdd63cc95386dULL) >> 58];
}

/**
 * nf_hll_fls32() - 1-based index of the highest set bit, branch-free binary search.
 * @x: any value.
 *
 * Each step tests "anything above bit s" as ((u64)(x >> s) + 0xffffffff) >> 32, so the verifier
 * walks one path instead of one per outcome.
 * Return: 0 for 0, else 1 + floor(log2(@x)).
 */
static __always_inline __u32 nf_hll_fls32(__u32 x)
{
	__u64 v = x, s, r;

	r = (((v >> 16) + 0xffffffffULL) >> 32) << 4;
	v >>= r;
	s = (((v >> 8) + 0xffffffffULL) >> 32) << 3;
	v >>= s;
	r |= s;
	s = (((v >> 4) + 0xffffffffULL) >> 32) << 2;
	v >>= s;
	r |= s;
	s = (((v >> 2) + 0xffffffffULL) >> 32) << 1;
	v >>= s;
	r |= s;
	s = (v >> 1) & 1;
	v >>= s;
	r |= s;
	return (__u32)(r + (v & 1));
}

/**
 * nf_hll_rank() - the HyperLogLog rank of a hash.
 * @h: the key's 64-bit hash.
 * @p: constant precision, 4..14.
 *
 * Return: 1 + trailing zeros of (@h >> @p) | 2^(64 - @p), in 1..65-@p.
 */
static __always_inline __u32 nf_hll_rank(__u64 h, __u32 p)
{
	return nf_hll_ctz64((h >> p) | (1ULL << (64 - p))) + 1;
}

/**
 * nf_hll_term() - fixed-point harmonic-sum term of a register value.
 * @p: constant precision.
 * @r: register value.
 *
 * Return: 2^(64 - 2p - r), or 0 when r > 64 - 2p.
 */
static __always_inline __u64 nf_hll_term(__u32 p, __u32 r)
{
	__u32 s = 64 - 2 * p;

	return r <= s ? 1ULL << ((s - r) & 63) : 0;
}

/**
 * nf_hll_update() - apply a rank to a register, keeping nonzero and deficit in step.
 * @reg: the group's registers (map value).
 * @nonzero: the group's nonzero counter.
 * @deficit: the group's harmonic-sum deficit.
 * @p: constant precision, 4..14.
 * @j: register index, < 2^p.
 * @rank: nf_hll_rank() of the key's hash.
 *
 * The caller holds the group's spin lock when the map is shared.
 * Return: true when the register grew.
 */
static __always_inline bool nf_hll_update(__u8 *reg, __u32 *nonzero, __u64 *deficit, __u32 p,
					  __u32 j, __u32 rank)
{
	__u32 old = reg[j & ((1u << p) - 1)];

	if (rank <= old)
		return false;
	if (!old)
		*nonzero += 1;
	*deficit += nf_hll_term(p, old) - nf_hll_term(p, rank);
	reg[j & ((1u << p) - 1)] = rank;
	return true;
}

/**
 * nf_hll_log2_q20() - floor(log2(@v) * 2^20) by repeated squaring (20 unrolled, branch-free steps).
 * @v: value, 1..2^14.
 *
 * Return: the logarithm in Q20 (bit-identical to hllLog2Q20 in lang/blocks/hll.ts).
 */
static __always_inline __u64 nf_hll_log2_q20(__u32 v)
{
	__u32 e = nf_hll_fls32(v) - 1;
	__u64 x = (__u64)v << ((30 - e) & 63);
	__u64 frac = 0, bit;

#pragma clang loop unroll(full)
	for (__u32 i = 1; i <= NF_HLL_LOG_FRAC; i++) {
		x = (x * x) >> 30;	/* < 2^32 */
		bit = x >> 31;		/* 1 when the square reached 2.0: no branch */
		x >>= bit;
		frac |= bit << (NF_HLL_LOG_FRAC - i);
	}
	return ((__u64)e << NF_HLL_LOG_FRAC) | frac;
}

/**
 * nf_hll_estimate() - the integer HyperLogLog estimate of one group.
 * @p: constant precision, 4..14.
 * @alpha_num: constant floor(alpha_m * 2^64) (hllAlphaNumerator).
 * @nonzero: the group's nonzero counter (read under the lock when shared).
 * @deficit: the group's deficit, read together with @nonzero.
 *
 * Return: the estimate, saturated to 2^32 - 1.
 */
static __always_inline __u32 nf_hll_estimate(__u32 p, __u64 alpha_num, __u32 nonzero,
					     __u64 deficit)
{
	__u32 m = 1u << p;
	__u64 sum = (1ULL << (64 - p)) - deficit;
	__u64 est = alpha_num / (sum ? sum : 1);
	__u32 zeros = m - nonzero;

	if (zeros > 0 && zeros <= m && est <= 5ULL * m / 2) {
		__u64 diff = ((__u64)p << NF_HLL_LOG_FRAC) - nf_hll_log2_q20(zeros);

		est = ((__u64)m * diff * NF_HLL_LN2_Q24) >> (NF_HLL_LOG_FRAC + 24);
	}
	return est > 0xffffffffULL ? 0xffffffff : (__u32)est;
}

#endif /* NF_HLL_H */
