/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nf/topk_kmod.h - the kmod backend's topk (compiler/blocks/kmod/topk.ts): the SAME board as
 * nf/topk.h (one map value {lock|u32, pad, cnt[k], key[k]}) and the same Space-Saving rules;
 * only the key search differs. The generated program searches the board itself, one
 * nfc_rt_memcmp() kfunc call per occupied slot:
 *
 *	__u32 slot = k;
 *	for (__u32 i = 0; i < k; i++)
 *		if (val->cnt[i] && !nfc_rt_memcmp(nf_topk_k_key(val, k, ksz, i), ksz, &key, ksz)) {
 *			slot = i;
 *			break;
 *		}
 *	slot = nf_topk_k_found(val, k, slot);
 *	r = nf_topk_k_add(val, k, ksz, &key, n, slot);		// or nf_topk_k_count(val, k, slot)
 *
 * so this header holds only the kfunc-free parts (nf.h is included before nfc_runtime.h).
 * Per-CPU boards only: a shared board's search and update must hold its bpf_spin_lock, and no
 * kfunc may be called while a spin lock is held (docs/blocks/topk.md).
 */
#ifndef NF_TOPK_KMOD_H
#define NF_TOPK_KMOD_H

#include "common.h"
#include "topk.h"

/**
 * nf_topk_k_key() - the key bytes of slot @i.
 * @val: the topk's map value.
 * @k: constant number of slots, 8..256.
 * @ksz: constant key size, 1..64.
 * @i: the slot, < @k.
 *
 * Return: a pointer to @ksz bytes inside the map value.
 */
static __always_inline const void *nf_topk_k_key(const void *val, __u32 k, __u32 ksz, __u32 i)
{
	return (const __u8 *)val + NF_TOPK_KEYS(k) + i * ksz;
}

/**
 * nf_topk_k_found() - the search's result as the verifier should see it: one bounded value.
 * @val: the topk's (per-CPU) map value; its pad word is used and restored.
 * @k: constant, 8..256.
 * @slot: the slot the search stopped at (a different constant on each of the k + 1 exits).
 *
 * The value makes a round trip through the map value's pad word, so the verifier continues
 * with ONE state whose slot is an unknown in [0, @k] instead of k + 1 states that never prune
 * (Linux 6.1 gave up at 1M instructions for three boards of 8, 64 and 256 slots). The pad is
 * restored: the board's bytes are unchanged.
 *
 * Return: @slot.
 */
static __always_inline __u32 nf_topk_k_found(void *val, __u32 k, __u32 slot)
{
	volatile __u32 *pad = (volatile __u32 *)((__u8 *)val + 4);
	__u32 old = *pad, s;

	*pad = slot;
	s = *pad;
	*pad = old;
	return s < k ? s : k;
}

/**
 * nf_topk_k_count() - the count of the key found at @slot.
 * @val: the topk's map value.
 * @k: constant, 8..256.
 * @slot: the slot holding the key, or @k when it is not tracked.
 *
 * Return: its count, 0 when the key is not tracked.
 */
static __always_inline __u32 nf_topk_k_count(const void *val, __u32 k, __u32 slot)
{
	const __u32 *cnt = (const void *)((const __u8 *)val + NF_TOPK_CNT(k));

	return slot < k ? cnt[slot] : 0;
}

/**
 * nf_topk_k_add() - nf_topk_add() once the key's slot is known.
 * @val: the topk's map value (a per-CPU board: no lock).
 * @k: constant, 8..256.
 * @ksz: constant key size.
 * @key: the key (stack, zero-padded).
 * @n: amount; 0 changes nothing.
 * @slot: the slot holding the key, or @k when it is not tracked.
 *
 * An untracked key replaces the minimum slot (lowest index on ties) and inherits its count.
 * Return: the key's count after the add (saturated at 2^32 - 1).
 */
static __always_inline __u32 nf_topk_k_add(void *val, __u32 k, __u32 ksz, const void *key, __u32 n,
					   __u32 slot)
{
	__u32 *cnt = val + NF_TOPK_CNT(k);
	__u8 *keys = val + NF_TOPK_KEYS(k);
	__u32 c;

	if (!n)
		return slot < k ? cnt[slot] : 0;
	if (slot >= k) {
		slot = nf_topk_min_slot(val, k, nf_topk_min(val, k));
		if (slot >= k)
			return 0;
		__builtin_memcpy(keys + slot * ksz, key, ksz);
	}
	c = cnt[slot] + n;
	if (c < n)
		c = 0xffffffff;
	cnt[slot] = c;
	return c;
}

#endif /* NF_TOPK_KMOD_H */
