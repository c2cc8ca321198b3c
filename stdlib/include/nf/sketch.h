/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nf/sketch.h - count-min and bloom filters over chunked BPF array maps (pure-BPF backend).
 *
 * A sketch is one ARRAY (shared) or PERCPU_ARRAY (per_cpu) map whose entries are fixed-size
 * chunks of cells; the helpers take the map pointer plus the sketch's compile-time constants,
 * so one generic function serves every sketch (no per-sketch macros). Row/bit i of a key with
 * 64-bit hash h uses double hashing, nf_dh_index(h, i, mask). Exact index math: CONTEXT.md.
 *
 * Declare a count-min sketch of `rows` x `width` cells:
 *	struct {
 *		__uint(type, BPF_MAP_TYPE_ARRAY);	// or BPF_MAP_TYPE_PERCPU_ARRAY
 *		__uint(max_entries, NF_CMS_ENTRIES(rows, width));
 *		__type(key, __u32);
 *		__type(value, struct { __u32 c[NF_CMS_CHUNK(width)]; });
 *	} flows SEC(".maps");
 * and a bloom filter of `bits` bits:
 *	...max_entries NF_BLOOM_ENTRIES(bits), value struct { __u64 w[NF_BLOOM_CHUNK_WORDS(bits)]; }
 */
#ifndef NF_SKETCH_H
#define NF_SKETCH_H

#include "common.h"

#define NF_CMS_MAX_CHUNK 8192u	       /* cells (u32) per map entry: 32 KiB */
#define NF_BLOOM_MAX_CHUNK_WORDS 4096u /* u64 words per map entry: 32 KiB */
#define NF_SKETCH_MAX_ROWS 16u

/*
 * Rows are expanded by the preprocessor, not by a loop: rows/hashes are constants <= 16, so after
 * inlining the steps past them fold away. A `#pragma unroll` loop is only a request; where clang
 * declined it inside a large handler, the remaining loop once compiled into a shape the verifier
 * reported as an infinite loop (test/fuzz seed 1251).
 */
#define NF_ROWS16(step)                                                                            \
	step(0) step(1) step(2) step(3) step(4) step(5) step(6) step(7) step(8) step(9) step(10)     \
		step(11) step(12) step(13) step(14) step(15)

/** Cells per entry of a count-min map: min(width, 8192). */
#define NF_CMS_CHUNK(width) ((width) < NF_CMS_MAX_CHUNK ? (width) : NF_CMS_MAX_CHUNK)
/** Entries of a count-min map: rows * width / chunk. */
#define NF_CMS_ENTRIES(rows, width) ((rows) * (width) / NF_CMS_CHUNK(width))
/** u64 words per entry of a bloom map: max(1, min(bits / 64, 4096)) (bits < 64 take one word). */
#define NF_BLOOM_CHUNK_WORDS(bits)                                                                 \
	((bits) < 64 ? 1 : (bits) / 64 < NF_BLOOM_MAX_CHUNK_WORDS ? (bits) / 64 : NF_BLOOM_MAX_CHUNK_WORDS)
/** Entries of a bloom map: max(1, bits / 64 / chunk_words). */
#define NF_BLOOM_ENTRIES(bits) ((bits) < 64 ? 1 : (bits) / 64 / NF_BLOOM_CHUNK_WORDS(bits))

/**
 * nf_dh_index() - i-th double-hashing index of a 64-bit hash.
 * @h: the key's hash (nf_hash64()).
 * @i: probe number (row or hash function), 0-based.
 * @mask: table size - 1, the size a power of two.
 *
 * Return: ((u32)h + i * ((u32)(h >> 32) | 1)) & mask, in u32 arithmetic (the odd step visits
 * distinct slots for i < size).
 */
static __always_inline __u32 nf_dh_index(__u64 h, __u32 i, __u32 mask)
{
	return ((__u32)h + i * ((__u32)(h >> 32) | 1)) & mask;
}

/**
 * nf_cms_cell() - internal: pointer to the cell of row @row for hash @h, or NULL.
 * @map: the sketch's map (see the file comment).
 * @row: row number < @rows.
 * @width: constant, power of two, >= 1.
 * @chunk: constant, NF_CMS_CHUNK(width).
 * @h: the key's hash.
 */
static __always_inline __u32 *nf_cms_cell(void *map, __u32 row, __u32 width, __u32 chunk, __u64 h)
{
	__u32 col = nf_dh_index(h, row, width - 1);
	__u32 key = (row * width + col) / chunk;
	__u32 *c = bpf_map_lookup_elem(map, &key);

	if (!c)
		return NULL;
	return c + (col & (chunk - 1));
}

/**
 * nf_cms_add() - add @n to the key's cell in every row of a count-min sketch.
 * @map: the sketch's ARRAY or PERCPU_ARRAY map of NF_CMS_ENTRIES(rows, width) entries of
 *	struct { __u32 c[chunk]; }.
 * @rows: constant, 1..16.
 * @width: constant power of two; @rows * @width < 2^32.
 * @chunk: constant, NF_CMS_CHUNK(@width).
 * @h: the key's 64-bit hash.
 * @n: amount; cells wrap modulo 2^32.
 * @atomic: constant: true for a shared (ARRAY) map (atomic add), false for PERCPU_ARRAY.
 */
static __always_inline void nf_cms_add(void *map, __u32 rows, __u32 width, __u32 chunk, __u64 h,
				       __u32 n, bool atomic)
{
	__u32 *c;

#define NF_CMS_ADD_ROW(i)                                                                          \
	if ((i) < rows && (c = nf_cms_cell(map, (i), width, chunk, h))) {                          \
		if (atomic)                                                                        \
			nf_atomic_add32(c, n);                                                     \
		else                                                                               \
			*c += n;                                                                   \
	}
	NF_ROWS16(NF_CMS_ADD_ROW)
#undef NF_CMS_ADD_ROW
}

/**
 * nf_cms_estimate() - count-min estimate of a key: the minimum of its cells over all rows.
 * @map: as for nf_cms_add().
 * @rows: constant, 1..16.
 * @width: constant power of two.
 * @chunk: constant, NF_CMS_CHUNK(@width).
 * @h: the key's 64-bit hash.
 *
 * Return: the estimate (a per_cpu map gives the current CPU's shard only).
 */
static __always_inline __u32 nf_cms_estimate(void *map, __u32 rows, __u32 width, __u32 chunk,
					     __u64 h)
{
	__u32 est = 0xffffffff;
	__u32 *c;
	__u32 v;

#define NF_CMS_MIN_ROW(i)                                                                          \
	if ((i) < rows) {                                                                          \
		c = nf_cms_cell(map, (i), width, chunk, h);                                        \
		v = c ? *c : 0;                                                                    \
		if (v < est)                                                                       \
			est = v;                                                                   \
	}
	NF_ROWS16(NF_CMS_MIN_ROW)
#undef NF_CMS_MIN_ROW
	return est;
}

/**
 * nf_bloom_word() - internal: pointer to the u64 word holding bit @bit, or NULL.
 * @map: the filter's map.
 * @bit: bit index < bits.
 * @chunk_words: constant, NF_BLOOM_CHUNK_WORDS(bits).
 */
static __always_inline __u64 *nf_bloom_word(void *map, __u32 bit, __u32 chunk_words)
{
	__u32 word = bit / 64;
	__u32 key = word / chunk_words;
	__u64 *w = bpf_map_lookup_elem(map, &key);

	if (!w)
		return NULL;
	return w + (word & (chunk_words - 1));
}

/**
 * nf_bloom_insert() - set the key's @hashes bits in a bloom filter.
 * @map: ARRAY or PERCPU_ARRAY map of NF_BLOOM_ENTRIES(bits) entries of
 *	struct { __u64 w[chunk_words]; }.
 * @hashes: constant, 1..16.
 * @bits: constant power of two, >= 64.
 * @chunk_words: constant, NF_BLOOM_CHUNK_WORDS(@bits).
 * @h: the key's 64-bit hash.
 * @atomic: constant: true for a shared map (atomic or), false for PERCPU_ARRAY.
 */
static __always_inline void nf_bloom_insert(void *map, __u32 hashes, __u32 bits, __u32 chunk_words,
					    __u64 h, bool atomic)
{
	__u32 bit;
	__u64 *w;

#define NF_BLOOM_SET_BIT(i)                                                                        \
	if ((i) < hashes) {                                                                        \
		bit = nf_dh_index(h, (i), bits - 1);                                               \
		w = nf_bloom_word(map, bit, chunk_words);                                          \
		if (w && atomic)                                                                   \
			__sync_fetch_and_or(w, 1ULL << (bit & 63));                                \
		else if (w)                                                                        \
			*w |= 1ULL << (bit & 63);                                                  \
	}
	NF_ROWS16(NF_BLOOM_SET_BIT)
#undef NF_BLOOM_SET_BIT
}

/**
 * nf_bloom_contains() - test whether all of the key's bits are set.
 * @map: as for nf_bloom_insert().
 * @hashes: constant, 1..16.
 * @bits: constant power of two, >= 64.
 * @chunk_words: constant, NF_BLOOM_CHUNK_WORDS(@bits).
 * @h: the key's 64-bit hash.
 *
 * Return: true when the key may have been inserted (false positives possible, no false
 * negatives; a per_cpu map sees the current CPU's shard only).
 */
static __always_inline bool nf_bloom_contains(void *map, __u32 hashes, __u32 bits,
					      __u32 chunk_words, __u64 h)
{
	__u32 bit;
	__u64 *w;

#define NF_BLOOM_TEST_BIT(i)                                                                       \
	if ((i) < hashes) {                                                                        \
		bit = nf_dh_index(h, (i), bits - 1);                                               \
		w = nf_bloom_word(map, bit, chunk_words);                                          \
		if (!w || !(*w & (1ULL << (bit & 63))))                                            \
			return false;                                                              \
	}
	NF_ROWS16(NF_BLOOM_TEST_BIT)
#undef NF_BLOOM_TEST_BIT
	return true;
}

#endif /* NF_SKETCH_H */
