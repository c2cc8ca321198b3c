/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nf/count_sketch.h - Count Sketch over chunked BPF array maps (pure-BPF backend).
 *
 * Same map shape and cell numbering as the count-min sketch (nf/sketch.h): ONE ARRAY (shared) or
 * PERCPU_ARRAY (per_cpu) map of NF_CMS_ENTRIES(rows, width) entries of struct { __u32 c[chunk]; },
 * the cells read as __s32. Row i of a key with hash h uses cell nf_dh_index(h, i, width - 1) and
 * sign -1 when bit i of nf_cs_signs(h) is set, +1 otherwise. The estimate is the median over rows
 * of sign_i * cell (even rows: floor of the mean of the middle two), as runtime-kmod's
 * nfc_rt_cs_update()/nfc_rt_cs_estimate() define it; the language reads it as a __u32, 0 when
 * negative. Semantics of record: lang/interp/kinds/count-sketch.ts.
 */
#ifndef NF_COUNT_SKETCH_H
#define NF_COUNT_SKETCH_H

#include "common.h"
#include "sketch.h"

/**
 * nf_cs_signs() - the row signs of a key: bit i set = row i subtracts.
 * @h: the key's nf_hash64().
 *
 * Return: fmix64(@h), nf_hash64's finalizer applied once more (so the signs are independent of
 * the column bits of @h).
 */
static __always_inline __u64 nf_cs_signs(__u64 h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return h;
}

/**
 * nf_cs_add_row() - add @delta (two's complement) to row @row's cell of a key.
 * @map: the sketch's map (see the file comment).
 * @row: row number.
 * @width: constant, power of two.
 * @chunk: constant, NF_CMS_CHUNK(@width).
 * @h: the key's hash.
 * @delta: sign_row * n, modulo 2^32.
 * @atomic: constant: true for a shared (ARRAY) map, false for PERCPU_ARRAY.
 */
static __always_inline void nf_cs_add_row(void *map, __u32 row, __u32 width, __u32 chunk, __u64 h,
					  __u32 delta, bool atomic)
{
	__u32 *c = nf_cms_cell(map, row, width, chunk, h);

	if (!c)
		return;
	if (atomic)
		nf_atomic_add32(c, delta);
	else
		*c += delta;
}

/**
 * nf_cs_add() - add sign_i * @n to the key's cell in every row of a count sketch.
 * @map: ARRAY or PERCPU_ARRAY map of NF_CMS_ENTRIES(rows, width) entries of
 *	struct { __u32 c[chunk]; } (read as __s32).
 * @rows: constant, 1..16.
 * @width: constant power of two.
 * @chunk: constant, NF_CMS_CHUNK(@width).
 * @h: the key's 64-bit hash.
 * @n: amount; cells wrap modulo 2^32.
 * @atomic: constant: true for a shared map (atomic add), false for PERCPU_ARRAY.
 */
static __always_inline void nf_cs_add(void *map, __u32 rows, __u32 width, __u32 chunk, __u64 h,
				      __u32 n, bool atomic)
{
	__u64 g = nf_cs_signs(h);

#define NF_CS_ADD_ROW(i)                                                                           \
	if ((i) < rows)                                                                            \
		nf_cs_add_row(map, (i), width, chunk, h, (g >> (i)) & 1 ? -n : n, atomic);
	NF_ROWS16(NF_CS_ADD_ROW)
#undef NF_CS_ADD_ROW
}

/* Bubble-sort network over v[0..rows-1]: pass p compares v[j], v[j+1] for p + j + 1 < rows.
 * Every index is a constant, so v[] lives in registers/stack slots and no loop is verified. */
#define NF_CS_CSWAP(p, j)                                                                          \
	if ((p) + (j) + 1 < rows && v[j] > v[(j) + 1]) {                                           \
		t = v[j];                                                                          \
		v[j] = v[(j) + 1];                                                                 \
		v[(j) + 1] = t;                                                                    \
	}
#define NF_CS_PASS(p)                                                                              \
	NF_CS_CSWAP(p, 0) NF_CS_CSWAP(p, 1) NF_CS_CSWAP(p, 2) NF_CS_CSWAP(p, 3) NF_CS_CSWAP(p, 4)  \
	NF_CS_CSWAP(p, 5) NF_CS_CSWAP(p, 6) NF_CS_CSWAP(p, 7) NF_CS_CSWAP(p, 8) NF_CS_CSWAP(p, 9)  \
	NF_CS_CSWAP(p, 10) NF_CS_CSWAP(p, 11) NF_CS_CSWAP(p, 12) NF_CS_CSWAP(p, 13)                \
	NF_CS_CSWAP(p, 14)

/**
 * nf_cs_median() - the clamped median of @rows signed row values (sorts @v in place).
 * @v: rows values, sign_i * cell_i, as __s64 (so -(-2^31) does not overflow).
 * @rows: constant, 1..16.
 *
 * Return: the median (even @rows: floor of the mean of the middle two), 0 when negative.
 */
static __always_inline __u32 nf_cs_median(__s64 *v, __u32 rows)
{
	__s64 t, m;

	NF_ROWS16(NF_CS_PASS)
	if (rows & 1)
		m = v[rows / 2];
	else
		m = (v[rows / 2 - 1] + v[rows / 2]) >> 1; /* arithmetic shift: floor */
	return m < 0 ? 0 : (__u32)m;
}

/**
 * nf_cs_estimate() - count-sketch estimate of a key.
 * @map: as for nf_cs_add().
 * @rows: constant, 1..16.
 * @width: constant power of two.
 * @chunk: constant, NF_CMS_CHUNK(@width).
 * @h: the key's 64-bit hash.
 *
 * Return: nf_cs_median() of sign_i * cell_i (a per_cpu map gives the current CPU's shard only).
 */
static __always_inline __u32 nf_cs_estimate(void *map, __u32 rows, __u32 width, __u32 chunk,
					    __u64 h)
{
	__u64 g = nf_cs_signs(h);
	__s64 v[NF_SKETCH_MAX_ROWS];
	__u32 *c;
	__s64 x;

#define NF_CS_ROW_VALUE(i)                                                                         \
	if ((i) < rows) {                                                                          \
		c = nf_cms_cell(map, (i), width, chunk, h);                                        \
		x = c ? (__s32)*c : 0;                                                             \
		v[i] = (g >> (i)) & 1 ? -x : x;                                                    \
	}
	NF_ROWS16(NF_CS_ROW_VALUE)
#undef NF_CS_ROW_VALUE
	return nf_cs_median(v, rows);
}

#endif /* NF_COUNT_SKETCH_H */
