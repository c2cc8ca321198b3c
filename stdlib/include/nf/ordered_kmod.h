/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nf/ordered_kmod.h - the kmod backend's ordered map (compiler/blocks/kmod/ordered.ts): the SAME
 * skip list as nf/ordered.h (same node levels, same key order, same NF_ORD_MOVES budget per
 * level, so the same operations give up), built from runtime-kmod's memory wrapper instead of a
 * map-value arena:
 *
 *	container = nfc_rt_mem_new(voff + vsz, levels, cap + 1)	// data = key, value; edges = next[]
 *	slot 0    = the head sentinel (a node whose key is never read)
 *	slot 1    = the walk's cursor, slot 2 = the node being inserted, slot 3 = a scratch slot
 *
 * The container lives as a referenced kptr in the map's single value (struct nf_ordk_holder);
 * every operation takes it out with bpf_kptr_xchg(), works, and puts it back. The first use
 * creates it; `made` (claimed with a cmpxchg) keeps a second CPU from creating a second one
 * while the first is out. A shared map's operation that finds the container taken by another CPU
 * acts like a search that gave up (reads: none, writes: false); a per-CPU map never sees that.
 *
 * Verifier notes: no node reference is held from one move to the next — the cursor lives in
 * slot 1 and is taken again for every move — because Linux 6.1 prunes a state only when its
 * acquired references are identical, ids included, so a reference carried out of a loop with 33
 * exits would multiply the states per level (kv_store hit the 1M-instruction limit that way).
 * A move holds at most two nodes. Linux 6.1 accepts one acquired object per
 * kfunc call, so every node-to-node link goes through a slot (nfc_rt_node_park/connect).
 *
 * Compiled only where the runtime-kmod contract header is on the include path (kmod objects,
 * runtime-kmod/bench): nf.h includes this file before the generated program includes
 * "nfc_runtime.h", so it includes it itself. Semantics of record: lang/interp/kinds/ordered.ts.
 */
#ifndef NF_ORDERED_KMOD_H
#define NF_ORDERED_KMOD_H

#include "common.h"
#include "hash.h"
#include "ordered.h"

#if defined(__has_include)
#if __has_include("nfc_runtime.h")
#define NF_ORD_KMOD 1
#endif
#endif

#ifdef NF_ORD_KMOD
#include "nfc_runtime.h"

#define NF_ORDK_HEAD 0u /* slot: the head sentinel */
#define NF_ORDK_CUR 1u	/* slot: the walk's cursor (the predecessor at the current level) */
#define NF_ORDK_NEW 2u	/* slot: the node being inserted */
#define NF_ORDK_TMP 3u	/* slot: a successor on its way to a connect */

enum nf_ordk_walk_mode { NF_ORDK_FIND, NF_ORDK_LINK, NF_ORDK_UNLINK };

/**
 * struct nf_ordk_holder - the map value: the container and its creation claim.
 * @m: the container, NULL while an operation has it out (or before first use).
 * @made: 1 once a CPU claimed the creation (u64: cmpxchg needs it at -mcpu=v2).
 */
struct nf_ordk_holder {
	struct nfc_rt_mem __nfc_kptr *m;
	__u64 made;
};

/**
 * nf_ordk_take() - take the container out of @h, creating it on first use.
 * @h: the map value.
 * @g: geometry (NF_ORD_GEO).
 *
 * A new container gets its head node parked in NF_ORDK_HEAD and goes through the map once, so
 * every operation holds a container acquired by the same bpf_kptr_xchg (one verifier state).
 *
 * Return: the container (an acquired reference: give it back with nf_ordk_put()), or NULL when
 * another CPU has it out or an allocation failed.
 */
static __always_inline struct nfc_rt_mem *nf_ordk_take(struct nf_ordk_holder *h, const struct nf_ord_geo g)
{
	struct nfc_rt_mem *m = bpf_kptr_xchg(&h->m, NULL);
	struct nfc_rt_node *head;

	if (m || __sync_val_compare_and_swap(&h->made, 0, 1) != 0)
		return m;
	m = nfc_rt_mem_new(g.voff + g.vsz, g.levels, g.cap + 1);
	if (!m) {
		h->made = 0;
		return NULL;
	}
	head = nfc_rt_node_new(m);
	if (!head) {
		nfc_rt_mem_release(m);
		h->made = 0;
		return NULL;
	}
	nfc_rt_node_park(head, NF_ORDK_HEAD);
	nfc_rt_node_release(head);
	m = bpf_kptr_xchg(&h->m, m);
	if (m)
		nfc_rt_mem_release(m);
	return bpf_kptr_xchg(&h->m, NULL);
}

/** nf_ordk_put() - put the container back into @h (releasing whatever was there, never anything). */
static __always_inline void nf_ordk_put(struct nf_ordk_holder *h, struct nfc_rt_mem *m)
{
	m = bpf_kptr_xchg(&h->m, m);
	if (m)
		nfc_rt_mem_release(m);
}

/** nf_ordk_okey() - order key (nf_ord_okey()) of node @n's key. */
static __always_inline void nf_ordk_okey(struct nfc_rt_node *n, const struct nf_ord_geo g, __u64 *hi, __u64 *lo)
{
	__u64 w[2] = { 0, 0 };

	nfc_rt_node_load(n, 0, w, g.ksz);
	nf_ord_okey(w, g, hi, lo);
}

/** nf_ordk_less() - whether node @n's key is below the searched key (@khi, @klo). */
static __always_inline bool nf_ordk_less(struct nfc_rt_node *n, const struct nf_ord_geo g, __u64 khi, __u64 klo)
{
	__u64 hi, lo;

	nf_ordk_okey(n, g, &hi, &lo);
	return hi < khi || (hi == khi && lo < klo);
}

/** nf_ordk_is() - whether node @n holds the searched key. */
static __always_inline bool nf_ordk_is(struct nfc_rt_node *n, const struct nf_ord_geo g, __u64 khi, __u64 klo)
{
	__u64 hi, lo;

	nf_ordk_okey(n, g, &hi, &lo);
	return hi == khi && lo == klo;
}

/**
 * nf_ordk_walk() - the search of nf_ord_seek(), top level down, with an action at each level.
 * @m: the container (taken).
 * @g: geometry.
 * @khi: order key of the searched key, first word; @klo: second word.
 * @mode: NF_ORDK_FIND: only search; NF_ORDK_LINK: link the node parked in NF_ORDK_NEW (@n, held
 *        by the caller) after the predecessor at every level below @level; NF_ORDK_UNLINK: unlink
 *        the node holding the key wherever the predecessor points to it, and unown it at level 0.
 * @n: the node being inserted (NF_ORDK_LINK), else NULL.
 * @level: its level (NF_ORDK_LINK).
 *
 * The predecessor at level 0 is left in NF_ORDK_CUR.
 *
 * Return: 0, or -1 when a level needed more than NF_ORD_MOVES moves or a slot was empty.
 */
static __always_inline int nf_ordk_walk(struct nfc_rt_mem *m, const struct nf_ord_geo g, __u64 khi, __u64 klo,
					int mode, struct nfc_rt_node *n, __u32 level)
{
	struct nfc_rt_node *x, *nx, *s;

	x = nfc_rt_mem_slot(m, NF_ORDK_HEAD);
	if (!x)
		return -1;
	nfc_rt_node_park(x, NF_ORDK_CUR);
	nfc_rt_node_release(x);
	for (__u32 i = 0; i < g.levels; i++) {
		__u32 lvl = g.levels - 1 - i;

		/* Each move starts and ends holding no node: x is re-taken from the cursor slot. */
		for (__u32 j = 0;; j++) {
			x = nfc_rt_mem_slot(m, NF_ORDK_CUR);
			if (!x)
				return -1;
			nx = nfc_rt_node_follow(x, lvl);
			nfc_rt_node_release(x);
			if (!nx)
				break;
			if (!nf_ordk_less(nx, g, khi, klo)) {
				nfc_rt_node_release(nx);
				break;
			}
			if (j == NF_ORD_MOVES) {
				nfc_rt_node_release(nx);
				return -1;
			}
			nfc_rt_node_park(nx, NF_ORDK_CUR);
			nfc_rt_node_release(nx);
		}
		if (mode == NF_ORDK_FIND)
			continue;
		x = nfc_rt_mem_slot(m, NF_ORDK_CUR);
		if (!x)
			return -1;
		if (mode == NF_ORDK_LINK && lvl < level) {
			/* n.next[lvl] = x.next[lvl]; x.next[lvl] = n */
			s = nfc_rt_node_follow(x, lvl);
			if (s) {
				nfc_rt_node_park(s, NF_ORDK_TMP);
				nfc_rt_node_release(s);
				nfc_rt_node_connect(n, lvl, NF_ORDK_TMP);
			}
			nfc_rt_node_connect(x, lvl, NF_ORDK_NEW);
		}
		if (mode == NF_ORDK_UNLINK) {
			/* x.next[lvl] = c.next[lvl] where x.next[lvl] is the node c holding the key */
			nx = nfc_rt_node_follow(x, lvl);
			if (nx) {
				if (nf_ordk_is(nx, g, khi, klo)) {
					s = nfc_rt_node_follow(nx, lvl);
					if (s) {
						nfc_rt_node_park(s, NF_ORDK_TMP);
						nfc_rt_node_release(s);
						nfc_rt_node_connect(x, lvl, NF_ORDK_TMP);
					} else {
						nfc_rt_node_disconnect(x, lvl);
					}
					if (lvl == 0)
						nfc_rt_node_unown(nx);
				}
				nfc_rt_node_release(nx);
			}
		}
		nfc_rt_node_release(x);
	}
	return 0;
}

/** nf_ordk_after() - the level-0 successor of the cursor after a walk (acquired), or NULL. */
static __always_inline struct nfc_rt_node *nf_ordk_after(struct nfc_rt_mem *m)
{
	struct nfc_rt_node *x = nfc_rt_mem_slot(m, NF_ORDK_CUR), *c;

	if (!x)
		return NULL;
	c = nfc_rt_node_follow(x, 0);
	nfc_rt_node_release(x);
	return c;
}

/** nf_ordk_value() - the map's single value (the holder), or NULL. */
static __always_inline struct nf_ordk_holder *nf_ordk_value(void *map)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(map, &zero);
}

/**
 * nf_ordk_get() - `get` (@mode 0: copy the value), `first_ge` (1) or `next` (2) (copy the key),
 *                 or `contains` (3: copy nothing).
 * @map: the ordered map (holder values).
 * @g: NF_ORD_GEO(...).
 * @key: the searched key (@g.ksz bytes).
 * @mode: 0..3 (constant).
 * @out: where the value (@g.vsz bytes) or key (@g.ksz bytes) is copied.
 *
 * A copy, not a reference: writes through a `get` binding do not reach the node (the
 * interpreter models this for kmod objects; docs/blocks/ordered.md).
 *
 * Return: true when found (@out written).
 */
static __always_inline bool nf_ordk_get(void *map, const struct nf_ord_geo g, const void *key, int mode, void *out)
{
	struct nf_ordk_holder *h = nf_ordk_value(map);
	struct nfc_rt_node *c, *c2;
	struct nfc_rt_mem *m;
	bool found = false;
	__u64 khi, klo;

	if (!h)
		return false;
	m = nf_ordk_take(h, g);
	if (!m)
		return false;
	nf_ord_search_key(key, g, &khi, &klo);
	if (nf_ordk_walk(m, g, khi, klo, NF_ORDK_FIND, NULL, 0) == 0) {
		c = nf_ordk_after(m);
		if (c && mode == 2 && nf_ordk_is(c, g, khi, klo)) {
			c2 = nfc_rt_node_follow(c, 0);
			nfc_rt_node_release(c);
			c = c2;
		}
		if (c) {
			if (mode == 1 || mode == 2)
				found = nfc_rt_node_load(c, 0, out, g.ksz) == 0;
			else if (nf_ordk_is(c, g, khi, klo))
				found = mode == 3 || nfc_rt_node_load(c, g.voff, out, g.vsz) == 0;
			nfc_rt_node_release(c);
		}
	}
	nf_ordk_put(h, m);
	return found;
}

/**
 * nf_ordk_put_kv() - `insert`: overwrite a present key's value, else a new node linked at
 *                    levels 0..level-1 (a second walk over the unchanged list).
 * @map: the ordered map.
 * @g: NF_ORD_GEO(...).
 * @key: @g.ksz bytes; @val: @g.vsz bytes.
 * @seed: the structure's seed (the node level is nf_ord_level() of nf_hash64, as pure).
 *
 * Return: true when stored; false when full (the container owns @g.cap nodes besides the head),
 * past the search budget, or the container was out.
 */
static __always_inline bool nf_ordk_put_kv(void *map, const struct nf_ord_geo g, const void *key, const void *val,
					   __u64 seed)
{
	__u32 level = nf_ord_level(__nf_hash64(key, g.ksz, seed), g.levels);
	struct nf_ordk_holder *h = nf_ordk_value(map);
	struct nfc_rt_node *c, *n;
	struct nfc_rt_mem *m;
	bool ok = false;
	__u64 khi, klo;

	if (!h)
		return false;
	m = nf_ordk_take(h, g);
	if (!m)
		return false;
	nf_ord_search_key(key, g, &khi, &klo);
	if (nf_ordk_walk(m, g, khi, klo, NF_ORDK_FIND, NULL, 0) == 0) {
		c = nf_ordk_after(m);
		if (c && nf_ordk_is(c, g, khi, klo)) {
			ok = nfc_rt_node_store(c, g.voff, val, g.vsz) == 0;
			nfc_rt_node_release(c);
		} else {
			if (c)
				nfc_rt_node_release(c);
			n = nfc_rt_node_new(m);
			if (n) {
				nfc_rt_node_store(n, 0, key, g.ksz);
				nfc_rt_node_store(n, g.voff, val, g.vsz);
				nfc_rt_node_park(n, NF_ORDK_NEW);
				/* the list did not change since the first walk: this one cannot give up */
				nf_ordk_walk(m, g, khi, klo, NF_ORDK_LINK, n, level);
				nfc_rt_node_release(n);
				ok = true;
			}
		}
	}
	nf_ordk_put(h, m);
	return ok;
}

/**
 * nf_ordk_del() - `remove`: a finding walk, then an unlinking one (unowns the node: the
 *                 container frees it when the last reference goes).
 * @map: the ordered map.
 * @g: NF_ORD_GEO(...).
 * @key: @g.ksz bytes.
 *
 * Return: true when the key was present (within the search budget).
 */
static __always_inline bool nf_ordk_del(void *map, const struct nf_ord_geo g, const void *key)
{
	struct nf_ordk_holder *h = nf_ordk_value(map);
	struct nfc_rt_mem *m;
	struct nfc_rt_node *c;
	bool ok = false;
	__u64 khi, klo;

	if (!h)
		return false;
	m = nf_ordk_take(h, g);
	if (!m)
		return false;
	nf_ord_search_key(key, g, &khi, &klo);
	if (nf_ordk_walk(m, g, khi, klo, NF_ORDK_FIND, NULL, 0) == 0) {
		c = nf_ordk_after(m);
		if (c) {
			ok = nf_ordk_is(c, g, khi, klo);
			nfc_rt_node_release(c);
		}
		if (ok)
			nf_ordk_walk(m, g, khi, klo, NF_ORDK_UNLINK, NULL, 0);
	}
	nf_ordk_put(h, m);
	return ok;
}

#endif /* NF_ORD_KMOD */
#endif /* NF_ORDERED_KMOD_H */
