/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nf/cffs.h - hierarchical find-first-set bitmaps (Eiffel's cFFS) for the pure-BPF backend.
 *
 * A cFFS of `levels` levels (1..4) tracks 64^levels leaves in NF_CFFS_WORDS(levels) __u64 words,
 * in the SAME layout as runtime-kmod's nfc_rt_cffs_* kfuncs (runtime-kmod/CONTEXT.md), so either
 * side can work on the memory: level l starts at word (64^l - 1) / 63; leaf x is bit (x & 63) of
 * word (x >> 6) of the last level; a summary bit is set iff the word below it is non-zero.
 * nf_cffs_set()/nf_cffs_clear() keep the summaries exact; nf_cffs_first() walks one word per
 * level (levels loads + levels ctz), never a loop over words.
 *
 * BPF has no count-trailing-zeros instruction: nf_ctz64() isolates the lowest set bit and maps it
 * through a de Bruijn multiply to a 64-entry table (4 ALU instructions and one byte load; the
 * shift by 58 bounds the index for the verifier). No helper is called, so every function here may
 * run inside a bpf_spin_lock region. Callers keep one writer at a time (lock or per-CPU memory).
 *
 * Use (levels must be a compile-time constant):
 *	struct { ...; __u64 bm[NF_CFFS_WORDS(2)]; } *q = ...;	// up to 4096 leaves
 *	nf_cffs_set(q->bm, 2, rank);
 *	__s32 first = nf_cffs_first(q->bm, 2);			// -1 when empty
 */
#ifndef NF_CFFS_H
#define NF_CFFS_H

#include "common.h"

#define NF_CFFS_MAX_LEVELS 4u

/** Words of a cFFS with @levels levels: (64^levels - 1) / 63 (1, 65, 4161, 266305). */
#define NF_CFFS_WORDS(levels) ((__u32)(((1ULL << (6 * (levels))) - 1) / 63))
/** First word of level @l (0 = the root word). */
#define NF_CFFS_LEVEL_BASE(l) NF_CFFS_WORDS(l)
/*
 * Word @i of level @l. The mask (level l has 64^l words) is a no-op for valid indices and puts the
 * bound on the very register that addresses the word, where the verifier needs it.
 */
#define NF_CFFS_W(words, l, i) ((words)[NF_CFFS_LEVEL_BASE(l) + ((i) & ((1u << (6 * (l))) - 1))])
/** Levels needed for @n leaves (n >= 1; up to 64^4). */
#define NF_CFFS_LEVELS(n) ((n) <= 64 ? 1u : (n) <= 4096 ? 2u : (n) <= 262144 ? 3u : 4u)

/* The de Bruijn sequence B(2, 6) and the position of each 6-bit window in it. */
#define NF_DEBRUIJN64 0x03f79d71b4cb0a89ULL
static const __u8 nf_debruijn64_pos[64] = {
	0,  1,	48, 2,	57, 49, 28, 3,	61, 58, 50, 42, 38, 29, 17, 4,	62, 55, 59, 36, 53, 51,
	43, 22, 45, 39, 33, 30, 24, 18, 12, 5,	63, 47, 56, 27, 60, 41, 37, 16, 54, 35, 52, 21,
	44, 32, 23, 11, 46, 26, 40, 15, 34, 20, 31, 10, 25, 14, 19, 9,	13, 8,	7,  6,
};

/**
 * nf_ctz64() - index of the lowest set bit.
 * @x: the word; must be non-zero (0 gives 0, indistinguishable from bit 0).
 *
 * Return: 0..63.
 */
static __always_inline __u32 nf_ctz64(__u64 x)
{
	__u32 bit = nf_debruijn64_pos[((x & -x) * NF_DEBRUIJN64) >> 58];

	/* the verifier reads a .rodata byte as 0..255: keep the mask clang would prove redundant */
	asm volatile("" : "+r"(bit));
	return bit & 63;
}

/**
 * nf_cffs_set() - set leaf @leaf and the summary bits above it.
 * @words: NF_CFFS_WORDS(@levels) words (map value or stack).
 * @levels: constant, 1..4.
 * @leaf: leaf index < 64^@levels (reduced modulo 64^@levels).
 *
 * Return: the leaf's previous bit (0 or 1).
 */
static __always_inline __u32 nf_cffs_set(__u64 *words, __u32 levels, __u32 leaf)
{
	__u32 idx, prev;

	leaf &= (__u32)((1ULL << (6 * levels)) - 1);
	idx = leaf >> 6;
	prev = (NF_CFFS_W(words, levels - 1, idx) >> (leaf & 63)) & 1;
	NF_CFFS_W(words, levels - 1, idx) |= 1ULL << (leaf & 63);
	/* summaries: bit (i & 63) of word i >> 6 of level l says "word i of level l+1 is non-zero" */
#define NF_CFFS_SET_UP(l)                                                                          \
	if ((l) + 1 < levels) {                                                                    \
		__u32 i = leaf >> (6 * (levels - 1 - (l)));                                        \
		NF_CFFS_W(words, (l), i >> 6) |= 1ULL << (i & 63);                                 \
	}
	NF_CFFS_SET_UP(0) NF_CFFS_SET_UP(1) NF_CFFS_SET_UP(2)
#undef NF_CFFS_SET_UP
	return prev;
}

/**
 * nf_cffs_clear() - clear leaf @leaf; clear each summary bit whose word became zero.
 * @words: as for nf_cffs_set().
 * @levels: constant, 1..4.
 * @leaf: leaf index < 64^@levels (reduced modulo 64^@levels).
 *
 * Return: the leaf's previous bit (0 or 1).
 */
static __always_inline __u32 nf_cffs_clear(__u64 *words, __u32 levels, __u32 leaf)
{
	__u32 idx, prev;
	__u64 w;

	leaf &= (__u32)((1ULL << (6 * levels)) - 1);
	idx = leaf >> 6;
	w = NF_CFFS_W(words, levels - 1, idx);
	prev = (w >> (leaf & 63)) & 1;
	w &= ~(1ULL << (leaf & 63));
	NF_CFFS_W(words, levels - 1, idx) = w;
	/* walk up while the word just written is zero (levels - 1 steps at most, unrolled) */
#define NF_CFFS_CLEAR_UP(k)                                                                        \
	if ((k) + 1 < levels && w == 0) {                                                          \
		__u32 l = levels - 2 - (k);                                                        \
		__u32 i = leaf >> (6 * ((k) + 1));                                                 \
		w = NF_CFFS_W(words, l, i >> 6) & ~(1ULL << (i & 63));                             \
		NF_CFFS_W(words, l, i >> 6) = w;                                                   \
	}
	NF_CFFS_CLEAR_UP(0) NF_CFFS_CLEAR_UP(1) NF_CFFS_CLEAR_UP(2)
#undef NF_CFFS_CLEAR_UP
	return prev;
}

/**
 * nf_cffs_first() - the lowest set leaf.
 * @words: as for nf_cffs_set().
 * @levels: constant, 1..4.
 *
 * Return: the leaf index, or -1 when no leaf is set.
 */
static __always_inline __s32 nf_cffs_first(const __u64 *words, __u32 levels)
{
	__u32 idx = 0;
	__u64 w;

#define NF_CFFS_DOWN(l)                                                                            \
	if ((l) < levels) {                                                                        \
		w = NF_CFFS_W(words, (l), idx);                                                    \
		if (!w)                                                                            \
			return -1;                                                                 \
		idx = (idx << 6) | nf_ctz64(w);                                                    \
	}
	NF_CFFS_DOWN(0) NF_CFFS_DOWN(1) NF_CFFS_DOWN(2) NF_CFFS_DOWN(3)
#undef NF_CFFS_DOWN
	return (__s32)idx;
}

#endif /* NF_CFFS_H */
