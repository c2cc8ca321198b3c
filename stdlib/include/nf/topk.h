/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nf/topk.h - Space-Saving top-k over one BPF array-map value (pure-BPF backend).
 *
 * A topk of k slots is ONE entry of an ARRAY (shared) or PERCPU_ARRAY (per_cpu) map whose value is
 *	struct {
 *		struct bpf_spin_lock lock;	// per_cpu: __u32 unused (no spin locks in per-CPU maps)
 *		__u32 pad;
 *		__u32 cnt[k];			// 0 = empty slot
 *		K key[k];			// at the next multiple of 8 after cnt[]
 *	};
 * so cnt starts at byte 8 and the keys at NF_TOPK_KEYS(k). add() finds the
 * key's slot, or takes the minimum slot (lowest index on ties, empty slots first) with
 * count = min + n (Space-Saving); counts saturate at 2^32 - 1. One pass over the slots looks for
 * the key; only a miss pays two more: the minimum count, then the first slot holding it (heavy
 * keys, the common case under skew, are hits). Keys are
 * compared word by word, stopping at the first difference: no hash is needed (a 32-bit
 * fingerprint array was tried and cost a 64-bit hash per packet for what the first key word
 * already filters).
 * Semantics of record: lang/interp/kinds/topk.ts; docs/blocks/topk.md.
 */
#ifndef NF_TOPK_H
#define NF_TOPK_H

#include "common.h"

#define NF_TOPK_CNT(k) 8u
#define NF_TOPK_KEYS(k) ((8u + 4u * (k) + 7u) & ~7u)

/**
 * nf_topk_key_eq() - internal: compare a stored key with @key.
 * @a: stored key (map value).
 * @b: the key (stack).
 * @ksz: constant key size.
 * @unit: constant 4 when both keys are 4-byte aligned and @ksz % 4 == 0 (word compare), else 1.
 */
static __always_inline bool nf_topk_key_eq(const void *a, const void *b, __u32 ksz, __u32 unit)
{
	if (unit == 4) {
		const __u32 *x = a, *y = b;

#pragma clang loop unroll(full)
		for (__u32 i = 0; i < ksz / 4; i++)
			if (x[i] != y[i])
				return false;
		return true;
	}
	return nf_bytes_eq(a, b, ksz);
}

/**
 * nf_topk_forget() - internal: @i as a value the verifier does not know exactly.
 * @val: the topk's map value; its pad word (bytes 4..7) is used and left 0.
 * @i: a slot index.
 *
 * A scan returns from a different iteration for each slot, so after it the verifier holds one
 * state per possible index (a known constant each) and walks the rest of the program once per
 * state: two top-k operations in a row, k = 256, walked 739,095 instructions, eight in a loop
 * failed ("8193 jumps", FINDINGS F10). Read back from map memory the index is an unknown scalar,
 * the same in every state, and the verifier prunes all but one. The caller bounds it again.
 */
static __always_inline __u32 nf_topk_forget(void *val, __u32 i)
{
	volatile __u32 *pad = val + 4;

	*pad = i;
	i = *pad;
	*pad = 0;
	return i;
}

/**
 * nf_topk_find() - internal: the slot holding the key.
 * @val: the topk's map value (see the file comment).
 * @k: constant number of slots, 8..256.
 * @ksz: constant key size, 1..64.
 * @unit: constant, see nf_topk_key_eq().
 * @key: the key (stack, zero-padded).
 *
 * Return: the key's slot, or @k when it is not tracked.
 */
static __always_inline __u32 nf_topk_find(void *val, __u32 k, __u32 ksz, __u32 unit,
					  const void *key)
{
	__u32 *cnt = val + NF_TOPK_CNT(k);
	__u8 *keys = val + NF_TOPK_KEYS(k);

	__u32 at = k;

	for (__u32 i = 0; i < k; i++)
		if (cnt[i] && nf_topk_key_eq(keys + i * ksz, key, ksz, unit)) {
			at = i;
			break;
		}
	return nf_topk_forget(val, at);
}

/**
 * nf_topk_min() - internal: the smallest count (0 when a slot is empty).
 * @val: the topk's map value.
 * @k: constant, 8..256.
 *
 * Only the VALUE is tracked: tracking its slot index in the same loop gives the verifier one
 * state per candidate index (it gave up at 1M instructions for k = 64); nf_topk_min_slot()
 * finds the slot afterwards.
 */
static __always_inline __u32 nf_topk_min(void *val, __u32 k)
{
	__u32 *cnt = val + NF_TOPK_CNT(k);
	__u32 lo = 0xffffffff;

	for (__u32 i = 0; i < k; i++)
		if (cnt[i] < lo)
			lo = cnt[i];
	return lo;
}

/**
 * nf_topk_min_slot() - internal: the first slot whose count is @min.
 * @val: the topk's map value.
 * @k: constant, 8..256.
 * @min: the minimum count from nf_topk_min().
 *
 * Return: that slot (lowest index: the deterministic tie rule), or @k if none (not reached).
 */
static __always_inline __u32 nf_topk_min_slot(void *val, __u32 k, __u32 min)
{
	__u32 *cnt = val + NF_TOPK_CNT(k);

	__u32 at = k;

	for (__u32 i = 0; i < k; i++)
		if (cnt[i] == min) {
			at = i;
			break;
		}
	return nf_topk_forget(val, at);
}

/**
 * nf_topk_count() - the key's count.
 * @val: the topk's map value.
 * @k: constant, 8..256.
 * @ksz: constant key size.
 * @unit: constant, see nf_topk_key_eq().
 * @key: the key (stack).
 *
 * Return: the count of the key's slot, 0 when the key is not tracked.
 */
static __always_inline __u32 nf_topk_count(void *val, __u32 k, __u32 ksz, __u32 unit,
					   const void *key)
{
	__u32 *cnt = val + NF_TOPK_CNT(k);
	__u32 i = nf_topk_find(val, k, ksz, unit, key);

	return i < k ? cnt[i] : 0;
}

/**
 * nf_topk_add() - Space-Saving update: add @n to the key, replacing the minimum slot if absent.
 * @val: the topk's map value.
 * @k: constant, 8..256.
 * @ksz: constant key size.
 * @unit: constant, see nf_topk_key_eq().
 * @key: the key (stack, zero-padded).
 * @n: amount; 0 changes nothing.
 *
 * The caller holds the value's spin lock when the map is shared.
 * Return: the key's count after the add (saturated at 2^32 - 1).
 */
static __always_inline __u32 nf_topk_add(void *val, __u32 k, __u32 ksz, __u32 unit,
					 const void *key, __u32 n)
{
	__u32 *cnt = val + NF_TOPK_CNT(k);
	__u8 *keys = val + NF_TOPK_KEYS(k);
	__u32 i = nf_topk_find(val, k, ksz, unit, key);
	__u32 c;

	if (!n)
		return i < k ? cnt[i] : 0;
	if (i >= k) {
		i = nf_topk_min_slot(val, k, nf_topk_min(val, k));
		if (i >= k)
			return 0;
		__builtin_memcpy(keys + i * ksz, key, ksz);
	}
	c = cnt[i] + n;
	if (c < n)
		c = 0xffffffff;
	cnt[i] = c;
	return c;
}

#endif /* NF_TOPK_H */
