/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nf/hash.h - the structures' 64-bit hash (sketches, `hash(x)` in the language).
 *
 * A word-at-a-time multiply/rotate mix with a splitmix/murmur3 finalizer. Defined on the key's
 * bytes: the key is zero padded to whole 64-bit words and each word read little-endian, so
 * lang/hash.ts (BigInt) gives bit-identical results. Vectors: stdlib/test/vectors/hash.json.
 */
#ifndef NF_HASH_H
#define NF_HASH_H

#include "common.h"

#define NF_HASH_MAX_LEN 64

/**
 * nf_rotl64() - rotate left.
 * @x: value.
 * @r: constant count, 1..63.
 */
static __always_inline __u64 nf_rotl64(__u64 x, int r)
{
	return (x << r) | (x >> (64 - r));
}

/**
 * __nf_hash64() - hash @len bytes at @key; call it as nf_hash64() (which checks @len).
 * @key: the key's bytes (stack, map value, or bounds-checked packet memory of @len bytes).
 * @len: compile-time constant, 1..64.
 * @seed: any value; the language's `hash(x)` uses 0.
 *
 * h = seed ^ (len * 0x9E3779B97F4A7C15); per 8-byte little-endian word w (zero padded):
 * h ^= w * 0xbf58476d1ce4e5b9; h = rotl64(h, 31) * 0x94d049bb133111eb; then the fmix64
 * finalizer (>>33, *0xff51afd7ed558ccd, >>33, *0xc4ceb9fe1a85ec53, >>33).
 *
 * Return: the 64-bit hash.
 */
static __always_inline __u64 __nf_hash64(const void *key, __u32 len, __u64 seed)
{
	__u64 w[(NF_HASH_MAX_LEN + 7) / 8] = {};
	__u64 h = seed ^ ((__u64)len * 0x9E3779B97F4A7C15ULL);

	__builtin_memcpy(w, key, len);
#pragma clang loop unroll(full)
	for (__u32 i = 0; i < (len + 7) / 8; i++) {
		h ^= w[i] * 0xbf58476d1ce4e5b9ULL;
		h = nf_rotl64(h, 31) * 0x94d049bb133111ebULL;
	}
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return h;
}

/**
 * nf_hash64() - hash @len bytes at @key (see __nf_hash64() for the definition).
 * @key: the key's bytes (stack, map value, or bounds-checked packet memory of @len bytes).
 * @len: an integer constant expression (e.g. sizeof(k)), 1..64; checked at compile time.
 * @seed: any value; the language's `hash(x)` uses 0.
 *
 * Return: the 64-bit hash (__u64).
 */
#define nf_hash64(key, len, seed)                                                                  \
	({                                                                                         \
		_Static_assert((len) >= 1 && (len) <= NF_HASH_MAX_LEN,                             \
			       "nf_hash64: len must be a constant in 1..64");                      \
		__nf_hash64((key), (len), (seed));                                                 \
	})

/**
 * nf_hash32() - low 32 bits of nf_hash64().
 * @key: as for nf_hash64().
 * @len: as for nf_hash64().
 * @seed: as for nf_hash64().
 *
 * Return: (__u32)nf_hash64(key, len, seed).
 */
#define nf_hash32(key, len, seed) ((__u32)nf_hash64(key, len, seed))

#endif /* NF_HASH_H */
