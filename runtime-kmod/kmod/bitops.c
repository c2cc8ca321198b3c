// SPDX-License-Identifier: GPL-2.0
/*
 * bitops.c — bit-operation kfuncs and the cFFS bitmap hierarchy (Eiffel priority queues).
 * hweight64() is patched to POPCNT by the kernel's alternatives when the CPU has it (module
 * alternatives are applied at load), a software count otherwise. __ffs64/fls64 are bsf/bsr,
 * baseline x86-64 instructions: no feature choice is needed for them.
 *
 * cFFS layout (map-value memory, __u64 words): level l (0 = top) starts at word
 * (64^l - 1) / 63 and has 64^l words; leaf x sets bit x of the last level, and bit b of level
 * l summarises word b of level l + 1 (set iff that word is non-zero).
 */
#include <linux/bitops.h>
#include <linux/errno.h>
#include <nfc_runtime.h>
#include "compat.h"

static const u32 cffs_off[NFC_RT_CFFS_MAX_LEVELS + 1] = { 0, 1, 65, 4161, 266305 };

static __always_inline bool cffs_ok(u32 sz, u32 levels)
{
	return levels >= 1 && levels <= NFC_RT_CFFS_MAX_LEVELS && (u64)sz >= 8ull * cffs_off[levels];
}

static s64 cffs_first(const u64 *w, u32 levels)
{
	u64 x = READ_ONCE(w[0]), idx;
	u32 l;

	if (!x)
		return -1;
	idx = __ffs64(x);
	for (l = 1; l < levels; l++) {
		x = READ_ONCE(w[cffs_off[l] + idx]);
		if (!x) /* inconsistent summary (concurrent writer): report empty */
			return -1;
		idx = idx * 64 + __ffs64(x);
	}
	return idx;
}

/* clear leaf bit, then each summary bit whose word became zero */
static s64 cffs_clear(u64 *w, u32 levels, u32 leaf)
{
	u64 b = leaf, *word;
	s32 l;
	s64 was;

	word = &w[cffs_off[levels - 1] + b / 64];
	was = (*word >> (b & 63)) & 1;
	*word &= ~(1ULL << (b & 63));
	for (l = levels - 2; l >= 0 && !*word; l--) {
		b /= 64;
		word = &w[cffs_off[l] + b / 64];
		*word &= ~(1ULL << (b & 63));
	}
	return was;
}

NFC_KFUNC_DEFS_START;

__bpf_kfunc __u64 nfc_rt_popcnt64(__u64 x)
{
	return hweight64(x);
}

__bpf_kfunc __u64 nfc_rt_ffs64(__u64 x)
{
	return x ? __ffs64(x) + 1 : 0;
}

__bpf_kfunc __u64 nfc_rt_fls64(__u64 x)
{
	return fls64(x);
}

__bpf_kfunc __s64 nfc_rt_cffs_first(const void *words, __u32 words__sz, __u32 levels)
{
	if (!cffs_ok(words__sz, levels))
		return -EINVAL;
	return cffs_first(words, levels);
}

__bpf_kfunc __s64 nfc_rt_cffs_set(void *words, __u32 words__sz, __u32 levels, __u32 leaf)
{
	u64 *w = words, b = leaf, *word, old;
	s32 l;
	s64 was;

	if (!cffs_ok(words__sz, levels) || (u64)leaf >= 1ULL << (6 * levels))
		return -EINVAL;
	word = &w[cffs_off[levels - 1] + b / 64];
	old = *word;
	was = (old >> (b & 63)) & 1;
	*word = old | (1ULL << (b & 63));
	/* summary bits above are already set iff the word was non-zero */
	for (l = levels - 2; l >= 0 && !old; l--) {
		b /= 64;
		word = &w[cffs_off[l] + b / 64];
		old = *word;
		*word = old | (1ULL << (b & 63));
	}
	return was;
}

__bpf_kfunc __s64 nfc_rt_cffs_clear(void *words, __u32 words__sz, __u32 levels, __u32 leaf)
{
	if (!cffs_ok(words__sz, levels) || (u64)leaf >= 1ULL << (6 * levels))
		return -EINVAL;
	return cffs_clear(words, levels, leaf);
}

__bpf_kfunc __s64 nfc_rt_cffs_pop(void *words, __u32 words__sz, __u32 levels)
{
	s64 leaf;

	if (!cffs_ok(words__sz, levels))
		return -EINVAL;
	leaf = cffs_first(words, levels);
	if (leaf >= 0)
		cffs_clear(words, levels, leaf);
	return leaf;
}

NFC_KFUNC_DEFS_END;
