/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pure.h — pure-BPF twins the selftests compute expected values with: nf_hash64 and the
 * double-hashing row index, written from the definition in stdlib/CONTEXT.md (the stdlib
 * headers themselves need uapi headers, which clash with vmlinux.h). The hash twin is checked
 * against stdlib/test/vectors/hash.json in hash.bpf.c, so the kmod and this twin are tied to
 * the same vectors.
 */
#ifndef NFC_SELFTEST_PURE_H
#define NFC_SELFTEST_PURE_H

static __always_inline __u64 pure_rotl64(__u64 x, int r)
{
	return (x << r) | (x >> (64 - r));
}

static __always_inline __u64 pure_fmix64(__u64 h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return h;
}

/* @len: constant 1..64; @key: @len readable bytes (stack, map value or checked packet). */
static __always_inline __u64 pure_hash64(const void *key, __u32 len, __u64 seed)
{
	__u64 w[8] = {};
	__u64 h = seed ^ ((__u64)len * 0x9E3779B97F4A7C15ULL);

	__builtin_memcpy(w, key, len);
#pragma unroll
	for (__u32 i = 0; i < (len + 7) / 8; i++) {
		h ^= w[i] * 0xbf58476d1ce4e5b9ULL;
		h = pure_rotl64(h, 31) * 0x94d049bb133111ebULL;
	}
	return pure_fmix64(h);
}

static __always_inline __u32 pure_dh(__u64 h, __u32 i, __u32 mask)
{
	return ((__u32)h + i * ((__u32)(h >> 32) | 1)) & mask;
}

#endif
