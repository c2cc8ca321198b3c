/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nf/ordered.h - a sorted map: a skip list over a fixed node arena in one BPF array-map value
 * (pure-BPF backend).
 *
 * The map has one entry (key 0), laid out as lang/blocks/ordered.ts orderedLayout():
 *	struct {
 *		struct bpf_spin_lock lock;	// per_cpu: __u32 unused (no spin locks in per-CPU maps)
 *		__u16 free;			// free-list head (through next[0]), 0 = none
 *		__u16 used;			// nodes ever handed out; node[used + 1..] never used
 *		__u16 head;			// always 0: the walk's start, loaded (see nf_ord_seek())
 *		__u16 _pad[3];
 *		struct { K key; V value; __u16 next[levels]; } __aligned(8) node[capacity + 1];
 *	};
 * node[0] is the head sentinel (only its next[] is used); index 0 in a link means "end". Nodes are
 * linked by u16 index, so a link can never point outside the arena: every index loaded from
 * memory is checked against @cap before use.
 *
 * Key order: integer keys numerically (host order), others by their bytes, lexicographically
 * (two big-endian u64 words, zero padded: keys are at most 16 bytes). A node's level is
 * 1 + the trailing one bits of nf_hash64(key, seed), capped at @levels (nf_ord_level()), so the
 * list's shape depends only on its key set. A search makes at most NF_ORD_MOVES moves to the right
 * per level; past that it gives up (reads: none, writes: false, nothing changes).
 *
 * The helpers below call nothing: a shared map runs them between bpf_spin_lock() and
 * bpf_spin_unlock() on the value's lock (the nf_ord_*_locked wrappers do it); a per-CPU map runs
 * them directly. Semantics of record: lang/interp/kinds/ordered.ts; docs/blocks/ordered.md.
 */
#ifndef NF_ORDERED_H
#define NF_ORDERED_H

#include "common.h"
#include "hash.h"

#define NF_ORD_MAX_LEVELS 16u
#define NF_ORD_NODES 16u /* offset of node[0] in the value */
#define NF_ORD_MOVES 32u /* moves to the right per level before a search gives up */

/**
 * struct nf_ord_geo - an ordered map's geometry (compile-time constants at every call site).
 * @cap: capacity, nodes 1..@cap.
 * @levels: 1..16.
 * @node: node stride in bytes (a multiple of 8).
 * @ksz: key bytes (1..16).
 * @numeric: the key is an integer (1, 2, 4 or 8 bytes, host order).
 * @voff: value offset in a node; @vsz: value bytes.
 * @noff: offset of next[] in a node.
 * @shared: the value holds a bpf_spin_lock (not per-CPU).
 */
struct nf_ord_geo {
	__u32 cap, levels, node, ksz, numeric, voff, vsz, noff, shared;
};

struct nf_ord_hdr {
	__u32 lock_word; /* struct bpf_spin_lock, or unused when per-CPU */
	__u16 free;
	__u16 used;
	__u16 head;	 /* always 0 */
	__u16 _pad[3];
};

/**
 * nf_ord_clamp() - @n when it is at most @cap, else 0, as a check the verifier sees on @n itself.
 * @n: a node index loaded from memory.
 * @cap: the capacity (a constant in a register).
 *
 * Written in asm: clang otherwise folds `n != 0 && n <= cap` into a range check on a copy of @n
 * (`(n - cap - 1) & 0xffff < ...`), and the verifier then sees an unbounded index.
 */
static __always_inline __u64 nf_ord_clamp(__u64 n, __u64 cap)
{
	/* The in-range path falls through first, so the verifier can prune the n = 0 one. */
	asm volatile("if %[n] > %[cap] goto +1; goto +1; %[n] = 0" : [n] "+r"(n) : [cap] "r"(cap));
	return n;
}

/** nf_ord_node() - node @i of @arena (an index past @g.cap means node 0, the head). */
static __always_inline void *nf_ord_node(void *arena, const struct nf_ord_geo g, __u64 i)
{
	return arena + NF_ORD_NODES + nf_ord_clamp(i, g.cap) * g.node;
}

/** nf_ord_link() - &node[i].next[lvl]. */
static __always_inline __u16 *nf_ord_link(void *arena, const struct nf_ord_geo g, __u64 i, __u32 lvl)
{
	return nf_ord_node(arena, g, i) + g.noff + 2 * (lvl & (NF_ORD_MAX_LEVELS - 1));
}

/** nf_ord_follow() - node[i].next[lvl], or 0 when it is past @g.cap (never, unless corrupted). */
static __always_inline __u32 nf_ord_follow(void *arena, const struct nf_ord_geo g, __u64 i, __u32 lvl)
{
	return nf_ord_clamp(*nf_ord_link(arena, g, i, lvl), g.cap);
}

/**
 * nf_ord_okey() - the order key of @ksz key bytes at 8-aligned @p (8 or 16 bytes readable).
 * @p: the key; bytes past @ksz up to the next 8-byte boundary are read and masked off.
 * @g: geometry (@g.ksz, @g.numeric).
 * @hi: out: first word (integers: the value).
 * @lo: out: second word (0 for keys of at most 8 bytes).
 */
static __always_inline void nf_ord_okey(const void *p, const struct nf_ord_geo g, __u64 *hi, __u64 *lo)
{
	*lo = 0;
	if (g.numeric) {
		if (g.ksz == 1)
			*hi = *(const __u8 *)p;
		else if (g.ksz == 2)
			*hi = *(const __u16 *)p;
		else if (g.ksz == 4)
			*hi = *(const __u32 *)p;
		else
			*hi = *(const __u64 *)p;
		return;
	}
	*hi = __builtin_bswap64(*(const __u64 *)p);
	if (g.ksz < 8)
		*hi &= ~0ULL << (64 - 8 * g.ksz);
	if (g.ksz > 8) {
		*lo = __builtin_bswap64(*(const __u64 *)(p + 8));
		if (g.ksz < 16)
			*lo &= ~0ULL << (64 - 8 * (g.ksz - 8));
	}
}

/**
 * nf_ord_level() - a key's node level: 1 + trailing one bits of @h, at most @levels.
 * @h: nf_hash64(key, ksz, seed).
 * @levels: constant 1..16.
 *
 * Branch-free (mask of the trailing ones, then a 16-bit popcount), so the search that follows is
 * verified once, not once per possible level.
 */
static __always_inline __u32 nf_ord_level(__u64 h, __u32 levels)
{
	__u64 t = h & ~(h + 1) & ((1ULL << (levels - 1)) - 1);

	t = t - ((t >> 1) & 0x5555);
	t = (t & 0x3333) + ((t >> 2) & 0x3333);
	t = (t + (t >> 4)) & 0x0f0f;
	return 1 + ((t + (t >> 8)) & 0x1f);
}

/** nf_ord_less() - whether node @n's key is below the searched key (@khi, @klo). */
static __always_inline bool nf_ord_less(void *arena, const struct nf_ord_geo g, __u32 n, __u64 khi, __u64 klo)
{
	__u64 hi, lo;

	nf_ord_okey(nf_ord_node(arena, g, n), g, &hi, &lo);
	return hi < khi || (hi == khi && lo < klo);
}

/**
 * nf_ord_seek() - find the predecessors of a key at every level.
 * @arena: the map value.
 * @g: geometry.
 * @khi: order key of the searched key, first word (nf_ord_okey()).
 * @klo: second word.
 * @preds: out: preds[l] = last node at level l whose key is < the searched key (0 = head).
 *
 * Levels are walked top-down by an unrolled loop; at each level at most NF_ORD_MOVES moves to
 * the right are made. The verifier walks a bounded loop iteration by iteration, so this costs it
 * levels * (NF_ORD_MOVES + 1) iterations; the state after each level (only x live, in
 * [0, cap]) is the same whatever the number of moves, so the levels do not multiply.
 *
 * Return: 0, or -1 when some level needed more than NF_ORD_MOVES moves (preds are then partial).
 */
static __always_inline int nf_ord_seek(void *arena, const struct nf_ord_geo g, __u64 khi, __u64 klo,
				       __u32 preds[NF_ORD_MAX_LEVELS])
{
	/* Loaded, not the constant 0: a constant start and a loaded index are different states. */
	__u64 x = nf_ord_clamp(((struct nf_ord_hdr *)arena)->head, g.cap);

#pragma unroll
	for (int lvl = NF_ORD_MAX_LEVELS - 1; lvl >= 0; lvl--) {
		if (lvl >= g.levels)
			continue;
		for (__u32 j = 0;; j++) {
			__u32 nx = nf_ord_follow(arena, g, x, lvl);

			if (!nx || !nf_ord_less(arena, g, nx, khi, klo))
				break;
			if (j == NF_ORD_MOVES)
				return -1;
			x = nx;
		}
		/*
		 * x is [1, cap] after a move (the verifier learnt nx != 0) and [0, cap] otherwise; an
		 * AND with 0xffff (a no-op: x <= cap < 2^16) gives both paths the range [0, cap], so
		 * the verifier prunes one of them instead of carrying both into every lower level.
		 */
		asm volatile("%[x] &= 0xffff" : [x] "+r"(x));
		preds[lvl] = x;
	}
	return 0;
}

/**
 * nf_ord_match() - the node holding the searched key after a successful nf_ord_seek(), or 0.
 */
static __always_inline __u32 nf_ord_match(void *arena, const struct nf_ord_geo g, __u32 pred0, __u64 khi,
					  __u64 klo)
{
	__u32 c = nf_ord_follow(arena, g, pred0 <= g.cap ? pred0 : 0, 0);
	__u64 hi, lo;

	if (!c)
		return 0;
	nf_ord_okey(nf_ord_node(arena, g, c), g, &hi, &lo);
	return hi == khi && lo == klo ? c : 0;
}

/** nf_ord_search_key() - order key of a key in any (stack) memory of @g.ksz bytes. */
static __always_inline void nf_ord_search_key(const void *key, const struct nf_ord_geo g, __u64 *hi, __u64 *lo)
{
	__u64 w[2] = { 0, 0 };

	__builtin_memcpy(w, key, g.ksz);
	nf_ord_okey(w, g, hi, lo);
}

/**
 * nf_ord_find() - node index of @key (0: absent or past the budget). Caller holds the lock.
 * @arena: the map value.
 * @g: geometry.
 * @key: the key's bytes.
 * @strict: 0: the key itself; 1: the first key >= @key; 2: the first key > @key.
 */
static __always_inline __u32 nf_ord_find(void *arena, const struct nf_ord_geo g, const void *key, int mode)
{
	__u32 preds[NF_ORD_MAX_LEVELS];
	__u64 khi, klo;
	__u32 c;

	nf_ord_search_key(key, g, &khi, &klo);
	if (nf_ord_seek(arena, g, khi, klo, preds) < 0)
		return 0;
	if (mode == 0)
		return nf_ord_match(arena, g, preds[0], khi, klo);
	c = nf_ord_follow(arena, g, preds[0] <= g.cap ? preds[0] : 0, 0);
	if (mode == 2 && c && nf_ord_match(arena, g, preds[0], khi, klo))
		c = nf_ord_follow(arena, g, c, 0);
	return c;
}

/**
 * nf_ord_insert() - insert @key with @val, or overwrite the value of a present key.
 * @arena: the map value (caller holds the lock when shared).
 * @g: geometry.
 * @key: @g.ksz bytes; @val: @g.vsz bytes.
 * @level: nf_ord_level() of the key.
 *
 * Return: true when stored; false when the arena is full or the search ran out of budget.
 */
static __always_inline bool nf_ord_insert(void *arena, const struct nf_ord_geo g, const void *key,
					  const void *val, __u32 level)
{
	struct nf_ord_hdr *hdr = arena;
	__u32 preds[NF_ORD_MAX_LEVELS];
	__u64 khi, klo;
	__u32 n;

	nf_ord_search_key(key, g, &khi, &klo);
	if (nf_ord_seek(arena, g, khi, klo, preds) < 0)
		return false;
	n = nf_ord_match(arena, g, preds[0], khi, klo);
	if (n) {
		__builtin_memcpy(nf_ord_node(arena, g, n) + g.voff, val, g.vsz);
		return true;
	}
	n = hdr->free;
	if (n) {
		if (n > g.cap)
			return false;
		hdr->free = *nf_ord_link(arena, g, n, 0);
	} else {
		if (hdr->used >= g.cap)
			return false;
		n = ++hdr->used;
		if (n > g.cap)
			return false;
	}
	__builtin_memcpy(nf_ord_node(arena, g, n), key, g.ksz);
	__builtin_memcpy(nf_ord_node(arena, g, n) + g.voff, val, g.vsz);
#pragma unroll
	for (__u32 i = 0; i < NF_ORD_MAX_LEVELS; i++) {
		__u32 p;

		if (i >= g.levels)
			break;
		p = preds[i];
		if (i < level) {
			*nf_ord_link(arena, g, n, i) = *nf_ord_link(arena, g, p, i);
			*nf_ord_link(arena, g, p, i) = n;
		} else {
			*nf_ord_link(arena, g, n, i) = 0;
		}
	}
	return true;
}

/**
 * nf_ord_remove() - delete @key: unlink it at every level, zero its node, push it on the free list.
 * @arena: the map value (caller holds the lock when shared).
 * @g: geometry.
 * @key: @g.ksz bytes.
 *
 * Return: true when the key was present (and within the search budget).
 */
static __always_inline bool nf_ord_remove(void *arena, const struct nf_ord_geo g, const void *key)
{
	struct nf_ord_hdr *hdr = arena;
	__u32 preds[NF_ORD_MAX_LEVELS];
	__u64 khi, klo;
	__u32 c;

	nf_ord_search_key(key, g, &khi, &klo);
	if (nf_ord_seek(arena, g, khi, klo, preds) < 0)
		return false;
	c = nf_ord_match(arena, g, preds[0], khi, klo);
	if (!c)
		return false;
#pragma unroll
	for (__u32 i = 0; i < NF_ORD_MAX_LEVELS; i++) {
		__u32 p;

		if (i >= g.levels)
			break;
		p = preds[i];
		if (*nf_ord_link(arena, g, p, i) == c)
			*nf_ord_link(arena, g, p, i) = *nf_ord_link(arena, g, c, i);
	}
	__builtin_memset(nf_ord_node(arena, g, c), 0, g.node);
	*nf_ord_link(arena, g, c, 0) = hdr->free;
	hdr->free = c;
	return true;
}

/*
 * The datapath operations: one lookup of the map's single value, then the helper above under
 * the value's spin lock when the map is shared. The geometry is NF_ORD_GEO(...) of constants.
 */

/** NF_ORD_GEO() - a struct nf_ord_geo literal. */
#define NF_ORD_GEO(cap, levels, node, ksz, numeric, voff, vsz, noff, shared)                       \
	((struct nf_ord_geo){ (cap), (levels), (node), (ksz), (numeric), (voff), (vsz), (noff),      \
			      (shared) })

/** nf_ord_value() - the map's single value (the arena), or NULL. */
static __always_inline void *nf_ord_value(void *map)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(map, &zero);
}

/**
 * nf_ord_get() - `get` (@mode 0: pointer to the value), `first_ge` (1) or `next` (2) (pointer to
 *                the key), in the arena.
 * @map: the ordered map.
 * @g: NF_ORD_GEO(...).
 * @key: the searched key (@g.ksz bytes).
 * @mode: 0, 1 or 2 (constant).
 *
 * Return: the pointer, or NULL for none.
 */
static __always_inline void *nf_ord_get(void *map, const struct nf_ord_geo g, const void *key, int mode)
{
	void *a = nf_ord_value(map);
	__u32 n;

	if (!a)
		return NULL;
	if (g.shared)
		bpf_spin_lock(a);
	n = nf_ord_find(a, g, key, mode);
	if (g.shared)
		bpf_spin_unlock(a);
	if (!n || n > g.cap)
		return NULL;
	return nf_ord_node(a, g, n) + (mode == 0 ? g.voff : 0);
}

/** nf_ord_contains() - whether @key is present (within the search budget). */
static __always_inline bool nf_ord_contains(void *map, const struct nf_ord_geo g, const void *key)
{
	return nf_ord_get(map, g, key, 0) != NULL;
}

/**
 * nf_ord_put() - `insert`: nf_ord_insert() under the lock; the level is hashed before it.
 * @map: the ordered map.
 * @g: NF_ORD_GEO(...).
 * @key: @g.ksz bytes.
 * @val: @g.vsz bytes.
 * @seed: the structure's seed (structureSeed(name)).
 *
 * Return: true when stored, false when full (or past the search budget).
 */
static __always_inline bool nf_ord_put(void *map, const struct nf_ord_geo g, const void *key, const void *val,
				       __u64 seed)
{
	__u32 level = nf_ord_level(__nf_hash64(key, g.ksz, seed), g.levels);
	void *a = nf_ord_value(map);
	bool ok;

	if (!a)
		return false;
	if (g.shared)
		bpf_spin_lock(a);
	ok = nf_ord_insert(a, g, key, val, level);
	if (g.shared)
		bpf_spin_unlock(a);
	return ok;
}

/** nf_ord_del() - `remove`: nf_ord_remove() under the lock. Return: true when it was present. */
static __always_inline bool nf_ord_del(void *map, const struct nf_ord_geo g, const void *key)
{
	void *a = nf_ord_value(map);
	bool ok;

	if (!a)
		return false;
	if (g.shared)
		bpf_spin_lock(a);
	ok = nf_ord_remove(a, g, key);
	if (g.shared)
		bpf_spin_unlock(a);
	return ok;
}

#endif /* NF_ORDERED_H */
