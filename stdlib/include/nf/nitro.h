/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nf/nitro.h - NitroSketch row sampling (pure-BPF backend, and the kmod backend's sampler).
 *
 * A nitro sketch is a count sketch (nf/count_sketch.h) whose row updates are sampled with
 * probability p = 1 / one_in (one_in = 2^s): a sampled row adds sign_i * n * one_in. Instead of
 * drawing a random number per row, each CPU keeps a countdown of rows to let pass; when it
 * reaches zero the row is updated and the countdown is refilled with the next geometric(p) gap.
 *
 * The gaps come from a fixed stream, so the kernel and the reference interpreter agree exactly
 * (lang/interp/kinds/nitro.ts; docs/blocks/nitro.md says why it is not random):
 *	gap_j = min(nf_nitro_log_u[j] / B, 2^32 - 1),  B = -log2(1 - p) in Q56 (a compile-time
 *	constant; 0 for p = 1: every row is sampled), j = the CPU's cursor, mod NF_NITRO_POOL.
 * nf_nitro_log_u[j] = -log2((r_j + 1) / 2^32) in unsigned Q56, r_j = (__u32)nf_hash64(&j, 8, 0)
 * for j as a __u64: gap_j equals runtime-kmod's nfc_rt_geo_skip_of(r_j, p * 2^32) bit for bit
 * (the same 56-round log2), at the price of one load and one division per sampled row.
 *
 * State per CPU: one PERCPU_ARRAY entry of struct nf_nitro_samp, zero at load.
 */
#ifndef NF_NITRO_H
#define NF_NITRO_H

#include "common.h"
#include "sketch.h"
#include "count_sketch.h"
#include "nitro_table.h"

/**
 * struct nf_nitro_samp - a CPU's sampler.
 * @countdown: rows still to let pass before the next sampled row.
 * @cursor: index of the next gap in nf_nitro_log_u, 0..NF_NITRO_POOL-1.
 */
struct nf_nitro_samp {
	__u32 countdown;
	__u32 cursor;
};

/**
 * nf_nitro_gap() - the gap at @cursor for a sampling probability with Q56 log @b.
 * @cursor: the CPU's cursor (masked here).
 * @b: constant, -log2(1 - p) in Q56; 0 means p = 1.
 *
 * Return: rows to let pass before the next sample (0 for p = 1).
 */
static __always_inline __u32 nf_nitro_gap(__u32 cursor, __u64 b)
{
	__u64 s;

	if (!b)
		return 0;
	s = nf_nitro_log_u[cursor & (NF_NITRO_POOL - 1)] / b;
	return s > 0xffffffffULL ? 0xffffffffU : (__u32)s;
}

/**
 * nf_nitro_samp_of() - this CPU's sampler, or NULL.
 * @samp: the PERCPU_ARRAY map of one struct nf_nitro_samp.
 */
static __always_inline struct nf_nitro_samp *nf_nitro_samp_of(void *samp)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(samp, &zero);
}

/*
 * Row i of a sampled update: rows are visited in order; row i is updated when the countdown is 0
 * (the countdown then takes the next gap), otherwise the countdown drops by one. UPDATE(i) is
 * the row update. No per-path constant (such as a mask of sampled rows) survives the branch, so
 * the verifier prunes the two paths into one state per row instead of walking 2^rows paths.
 */
#define NF_NITRO_ROW(i, UPDATE)                                                                    \
	if ((i) < rows) {                                                                          \
		if (cd == 0) {                                                                     \
			UPDATE(i);                                                                 \
			cd = nf_nitro_gap(s->cursor, b);                                           \
			s->cursor = (s->cursor + 1) & (NF_NITRO_POOL - 1);                         \
		} else {                                                                           \
			cd--;                                                                      \
		}                                                                                  \
	}

/**
 * nf_nitro_add() - sampled count-sketch update over a chunked map (pure backend).
 * @map: the cells, as for nf_cs_add().
 * @samp: the PERCPU_ARRAY sampler map of one struct nf_nitro_samp.
 * @rows: constant, 1..16.
 * @width: constant power of two.
 * @chunk: constant, NF_CMS_CHUNK(@width).
 * @h: the key's 64-bit hash.
 * @n: amount; a sampled row adds sign_i * @n * @one_in (modulo 2^32).
 * @one_in: constant, 1 / p.
 * @b: constant, as for nf_nitro_gap().
 * @atomic: constant: true for shared cells (atomic add), false for PERCPU_ARRAY.
 *
 * When the countdown covers all @rows the call is one subtraction (no row is touched).
 */
static __always_inline void nf_nitro_add(void *map, void *samp, __u32 rows, __u32 width,
					 __u32 chunk, __u64 h, __u32 n, __u32 one_in, __u64 b,
					 bool atomic)
{
	struct nf_nitro_samp *s = nf_nitro_samp_of(samp);
	__u32 scaled = n * one_in, cd;
	__u64 g;

	if (!s)
		return;
	cd = s->countdown;
	if (cd >= rows) {
		s->countdown = cd - rows;
		return;
	}
	g = nf_cs_signs(h);
#define NF_NITRO_CHUNKED(i)                                                                        \
	nf_cs_add_row(map, (i), width, chunk, h, (g >> (i)) & 1 ? -scaled : scaled, atomic)
#define NF_NITRO_ROW_CHUNKED(i) NF_NITRO_ROW(i, NF_NITRO_CHUNKED)
	NF_ROWS16(NF_NITRO_ROW_CHUNKED)
#undef NF_NITRO_ROW_CHUNKED
#undef NF_NITRO_CHUNKED
	s->countdown = cd;
}

/**
 * nf_nitro_add_flat() - sampled update of cells held in ONE map value (kmod backend layout).
 * @map: ARRAY or PERCPU_ARRAY map of one entry of rows * width __u32 cells (read as __s32), cell
 *	of row i at i * width + col_i; looked up only when a row is sampled.
 * @samp: as for nf_nitro_add().
 * @rows: constant, 1..16.
 * @width: constant power of two.
 * @h: the key's 64-bit hash.
 * @n: as for nf_nitro_add().
 * @one_in: constant, 1 / p.
 * @b: constant, as for nf_nitro_gap().
 * @atomic: constant: true for shared cells, false for PERCPU_ARRAY.
 */
static __always_inline void nf_nitro_add_flat(void *map, void *samp, __u32 rows, __u32 width,
					      __u64 h, __u32 n, __u32 one_in, __u64 b, bool atomic)
{
	struct nf_nitro_samp *s = nf_nitro_samp_of(samp);
	__u32 scaled = n * one_in, cd, d, zero = 0, *c, *cells;
	__u64 g;

	if (!s)
		return;
	cd = s->countdown;
	if (cd >= rows) {
		s->countdown = cd - rows;
		return;
	}
	cells = bpf_map_lookup_elem(map, &zero);
	if (!cells)
		return;
	g = nf_cs_signs(h);
#define NF_NITRO_FLAT(i)                                                                           \
	do {                                                                                       \
		c = cells + (i) * width + nf_dh_index(h, (i), width - 1);                          \
		d = (g >> (i)) & 1 ? -scaled : scaled;                                             \
		if (atomic)                                                                        \
			nf_atomic_add32(c, d);                                                     \
		else                                                                               \
			*c += d;                                                                   \
	} while (0)
#define NF_NITRO_ROW_FLAT(i) NF_NITRO_ROW(i, NF_NITRO_FLAT)
	NF_ROWS16(NF_NITRO_ROW_FLAT)
#undef NF_NITRO_ROW_FLAT
#undef NF_NITRO_FLAT
	s->countdown = cd;
}

#endif /* NF_NITRO_H */
