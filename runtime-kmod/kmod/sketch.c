// SPDX-License-Identifier: GPL-2.0
/*
 * sketch.c — nf_hash64 (bit-identical with stdlib/include/nf/hash.h) and the fused multi-hash
 * sketch kfuncs: ONE hash per key, then all k rows applied in place in one pass (count-min
 * add/estimate, count-sketch update/estimate, bloom add/test). Index of row i:
 * ((u32)h + i * ((u32)(h >> 32) | 1)) & (width - 1), the pure backend's nf_dh_index.
 *
 * No SIMD here on purpose: double hashing derives all k indices from one 64-bit hash with one
 * multiply-add each, and the rows' cells are k independent cache lines — a vector index
 * computation would save a handful of ALU ops and pay kernel_fpu_begin/end on every packet.
 * The work saved against pure BPF is the per-row bounds checks, map lookups and spills.
 */
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/errno.h>
#include <linux/atomic.h>
#include <nfc_runtime.h>
#include "compat.h"
#include "internal.h"

static __always_inline u64 rotl64(u64 x, int r)
{
	return (x << r) | (x >> (64 - r));
}

static __always_inline u64 fmix64(u64 h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return h;
}

static __always_inline u64 nfc_rt_hash(const void *key, u32 len, u64 seed)
{
	const u8 *p = key;
	u64 h = seed ^ ((u64)len * 0x9E3779B97F4A7C15ULL);
	u64 w;

	for (; len >= 8; len -= 8, p += 8) {
		memcpy(&w, p, 8);
		w = le64_to_cpu(w);
		h ^= w * 0xbf58476d1ce4e5b9ULL;
		h = rotl64(h, 31) * 0x94d049bb133111ebULL;
	}
	if (len) {
		w = 0;
		while (len--)
			w |= (u64)p[len] << (8 * len);
		h ^= w * 0xbf58476d1ce4e5b9ULL;
		h = rotl64(h, 31) * 0x94d049bb133111ebULL;
	}
	return fmix64(h);
}

/* rows 1..16, width a power of two, rows * width u32 cells fit in sz bytes. */
static __always_inline bool shape_ok(const struct nfc_rt_sketch *sk, u32 sz)
{
	if (sk->rows < 1 || sk->rows > NFC_RT_SKETCH_MAX_ROWS)
		return false;
	if (!sk->width || (sk->width & (sk->width - 1)))
		return false;
	return (u64)sk->rows * sk->width * 4 <= sz;
}

/* hashes 1..16, bits a power of two >= 64, bits / 8 bytes fit in sz (rows share one array). */
static __always_inline bool bloom_ok(const struct nfc_rt_sketch *sk, u32 sz)
{
	if (sk->rows < 1 || sk->rows > NFC_RT_SKETCH_MAX_ROWS)
		return false;
	if (sk->width < 64 || (sk->width & (sk->width - 1)))
		return false;
	return sk->width / 8 <= sz;
}

static __always_inline u32 dh(u64 h, u32 i, u32 mask)
{
	return ((u32)h + i * ((u32)(h >> 32) | 1)) & mask;
}

NFC_KFUNC_DEFS_START;

__bpf_kfunc __u64 nfc_rt_hash64(const void *key, __u32 key__sz, __u64 seed)
{
	return nfc_rt_hash(key, key__sz, seed);
}

__bpf_kfunc __s64 nfc_rt_cms_add(const struct nfc_rt_sketch *sk, void *cells, __u32 cells__sz,
				 const void *key, __u32 key__sz)
{
	u32 *c = cells, mask, rows, n, i, v, min = U32_MAX;
	u64 h;

	if (!shape_ok(sk, cells__sz))
		return -EINVAL;
	rows = sk->rows;
	mask = sk->width - 1;
	n = sk->n;
	h = nfc_rt_hash(key, key__sz, sk->seed);
	if (sk->flags & NFC_RT_SK_ATOMIC) {
		if ((unsigned long)cells & 3)
			return -EINVAL;
		for (i = 0; i < rows; i++) {
			v = (u32)atomic_add_return(n, (atomic_t *)&c[i * sk->width + dh(h, i, mask)]);
			min = min(min, v);
		}
	} else {
		for (i = 0; i < rows; i++) {
			u32 *cell = &c[i * sk->width + dh(h, i, mask)];

			v = *cell + n;
			*cell = v;
			min = min(min, v);
		}
	}
	return min;
}

__bpf_kfunc __s64 nfc_rt_cms_estimate(const struct nfc_rt_sketch *sk, const void *cells,
				      __u32 cells__sz, const void *key, __u32 key__sz)
{
	const u32 *c = cells;
	u32 mask, i, min = U32_MAX;
	u64 h;

	if (!shape_ok(sk, cells__sz))
		return -EINVAL;
	mask = sk->width - 1;
	h = nfc_rt_hash(key, key__sz, sk->seed);
	for (i = 0; i < sk->rows; i++)
		min = min(min, READ_ONCE(c[i * sk->width + dh(h, i, mask)]));
	return min;
}

__bpf_kfunc __s64 nfc_rt_cs_update(const struct nfc_rt_sketch *sk, void *cells, __u32 cells__sz,
				   const void *key, __u32 key__sz)
{
	s32 *c = cells;
	u32 mask, i, n;
	u64 h, g;

	if (!shape_ok(sk, cells__sz))
		return -EINVAL;
	if ((sk->flags & NFC_RT_SK_ATOMIC) && ((unsigned long)cells & 3))
		return -EINVAL;
	mask = sk->width - 1;
	h = nfc_rt_hash(key, key__sz, sk->seed);
	g = fmix64(h);
	for (i = 0; i < sk->rows; i++) {
		s32 *cell = &c[i * sk->width + dh(h, i, mask)];
		/* two's complement: subtracting n is adding -n mod 2^32 */
		n = (g >> i) & 1 ? -sk->n : sk->n;

		if (sk->flags & NFC_RT_SK_ATOMIC)
			atomic_add(n, (atomic_t *)cell);
		else
			*cell = (s32)((u32)*cell + n);
	}
	return 0;
}

__bpf_kfunc __s64 nfc_rt_cs_estimate(const struct nfc_rt_sketch *sk, const void *cells,
				     __u32 cells__sz, const void *key, __u32 key__sz)
{
	const s32 *c = cells;
	s64 v[NFC_RT_SKETCH_MAX_ROWS], x;
	u32 mask, i, j, rows;
	u64 h, g;

	if (!shape_ok(sk, cells__sz))
		return NFC_RT_CS_EINVAL;
	rows = sk->rows;
	mask = sk->width - 1;
	h = nfc_rt_hash(key, key__sz, sk->seed);
	g = fmix64(h);
	for (i = 0; i < rows; i++) {
		x = READ_ONCE(c[i * sk->width + dh(h, i, mask)]);
		x = (g >> i) & 1 ? -x : x;
		/* insertion sort: rows <= 16 */
		for (j = i; j > 0 && v[j - 1] > x; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
	if (rows & 1)
		return v[rows / 2];
	return (v[rows / 2 - 1] + v[rows / 2]) >> 1; /* arithmetic shift: floor */
}

__bpf_kfunc __s64 nfc_rt_bloom_add(const struct nfc_rt_sketch *sk, void *bits, __u32 bits__sz,
				   const void *key, __u32 key__sz)
{
	u64 *w = bits, h, m;
	u32 mask, i, b, had = 1;

	if (!bloom_ok(sk, bits__sz))
		return -EINVAL;
	if ((sk->flags & NFC_RT_SK_ATOMIC) && ((unsigned long)bits & 7))
		return -EINVAL;
	mask = sk->width - 1;
	h = nfc_rt_hash(key, key__sz, sk->seed);
	for (i = 0; i < sk->rows; i++) {
		b = dh(h, i, mask);
		m = 1ULL << (b & 63);
		if (sk->flags & NFC_RT_SK_ATOMIC) {
			if (!(atomic64_fetch_or(m, (atomic64_t *)&w[b / 64]) & m))
				had = 0;
		} else {
			if (!(w[b / 64] & m))
				had = 0;
			w[b / 64] |= m;
		}
	}
	return had;
}

__bpf_kfunc __s64 nfc_rt_bloom_test(const struct nfc_rt_sketch *sk, const void *bits,
				    __u32 bits__sz, const void *key, __u32 key__sz)
{
	const u64 *w = bits;
	u32 mask, i, b;
	u64 h;

	if (!bloom_ok(sk, bits__sz))
		return -EINVAL;
	mask = sk->width - 1;
	h = nfc_rt_hash(key, key__sz, sk->seed);
	for (i = 0; i < sk->rows; i++) {
		b = dh(h, i, mask);
		if (!(READ_ONCE(w[b / 64]) & (1ULL << (b & 63))))
			return 0;
	}
	return 1;
}

NFC_KFUNC_DEFS_END;
