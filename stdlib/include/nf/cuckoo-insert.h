/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nf/cuckoo-insert.h - insertion with bounded displacement for nf/cuckoo.h (which includes it
 * at its end; it also compiles alone). Both backends use it: the kmod backend finds the key with
 * nfc_rt_bucket_lookup, then calls nf_cuckoo_insert_at() with what it found.
 *
 * Displacement finds the whole path before moving anything, so a failed insert ("full") leaves
 * the table unchanged. From cur = b1, step d (0 ≤ d < kicks) picks lane (sig + d) & 15 of cur;
 * its entry's other bucket is next = nf_cuckoo_alt(cur, that entry's sig); if next has a free
 * lane the path ends there, else cur = next. Lanes of a path are distinct (d < 16), so the
 * entries can then be moved back to front and the new key lands in b1, lane sig & 15.
 */
#ifndef NF_CUCKOO_INSERT_H
#define NF_CUCKOO_INSERT_H

#include "cuckoo.h"

/**
 * nf_cuckoo_fill() - write key and value into empty lane @lane of @bk, then its signature.
 * @bk: the bucket.
 * @lane: an empty lane 0..15 (its slot is all zero).
 * @sig: the key's signature.
 * @key: the key.
 * @ksz: constant, key bytes.
 * @kalign: constant, key alignment.
 * @val: the value.
 * @vsz: constant, value bytes.
 * @valign: constant, value alignment.
 */
static __always_inline void nf_cuckoo_fill(void *bk, __u32 lane, __u32 sig, const void *key,
					   __u32 ksz, __u32 kalign, const void *val, __u32 vsz,
					   __u32 valign)
{
	__u8 *slot = nf_cuckoo_slot(bk, lane, NF_CUCKOO_STRIDE(ksz, kalign, vsz, valign));

	nf_cuckoo_copy(slot, key, ksz, NF_CUCKOO_UNIT(kalign, ksz));
	nf_cuckoo_copy(slot + NF_CUCKOO_VOFF(ksz, valign), val, vsz, NF_CUCKOO_UNIT(valign, vsz));
	*(volatile __u16 *)((__u16 *)bk + (lane & 15)) = (__u16)sig;
}

/**
 * nf_cuckoo_insert_at() - insert or overwrite, given where a lookup found the key.
 * @map: the table's map.
 * @mask: constant, buckets - 1.
 * @kicks: constant, max_kicks 1..16: the longest displacement path searched.
 * @b1: the key's first bucket.
 * @sig: the key's signature.
 * @bk: the bucket holding the key, or NULL when absent.
 * @lane: the key's lane in @bk, or negative when absent.
 * @key: the key (stack).
 * @ksz: constant, key bytes.
 * @kalign: constant, key alignment.
 * @val: the value (stack).
 * @vsz: constant, value bytes.
 * @valign: constant, value alignment.
 *
 * Present: the value is overwritten in place. Absent: the lowest free lane of b1, else of b2,
 * else a displacement path of at most @kicks moves (file comment).
 *
 * Return: true when stored; false ("full") when no path was found — nothing was changed.
 */
static __always_inline bool nf_cuckoo_insert_at(void *map, __u32 mask, __u32 kicks, __u32 b1,
						__u32 sig, void *bk, int lane, const void *key,
						__u32 ksz, __u32 kalign, const void *val, __u32 vsz,
						__u32 valign)
{
	__u32 stride = NF_CUCKOO_STRIDE(ksz, kalign, vsz, valign);
	__u32 sunit = NF_CUCKOO_UNIT(NF_CUCKOO_MAX(2u, NF_CUCKOO_MAX(kalign, valign)), stride);
	__u32 path[NF_CUCKOO_MAX_KICKS];
	__u32 cur, nxt, d, j, from, tl;
	void *nb, *fb, *tb;
	int f = -1;

	if (bk && lane >= 0) {
		nf_cuckoo_copy(nf_cuckoo_slot(bk, lane, stride) + NF_CUCKOO_VOFF(ksz, valign), val,
			       vsz, NF_CUCKOO_UNIT(valign, vsz));
		return true;
	}
	bk = nf_cuckoo_bucket(map, b1);
	if (!bk)
		return false;
	f = nf_cuckoo_free(bk);
	if (f >= 0) {
		nf_cuckoo_fill(bk, f, sig, key, ksz, kalign, val, vsz, valign);
		return true;
	}
	nb = nf_cuckoo_bucket(map, nf_cuckoo_alt(b1, sig, mask));
	if (!nb)
		return false;
	f = nf_cuckoo_free(nb);
	if (f >= 0) {
		nf_cuckoo_fill(nb, f, sig, key, ksz, kalign, val, vsz, valign);
		return true;
	}

	/* Find the path: nothing moves until it ends in a free lane. */
	cur = b1;
	nxt = b1;
	for (d = 0; d < kicks && d < NF_CUCKOO_MAX_KICKS; d++) {
		__u32 l = (sig + d) & 15;

		fb = nf_cuckoo_bucket(map, cur);
		if (!fb)
			return false;
		path[d] = cur << 4 | l;
		nxt = nf_cuckoo_alt(cur, ((__u16 *)fb)[l], mask);
		nb = nf_cuckoo_bucket(map, nxt);
		if (!nb)
			return false;
		f = nf_cuckoo_free(nb);
		if (f >= 0)
			break;
		cur = nxt;
	}
	if (f < 0 || d >= NF_CUCKOO_MAX_KICKS)
		return false;

	/* Move back to front: path[d] → (nxt, f), path[i] → path[i + 1], key → path[0]. */
	tb = nb;
	tl = f;
	for (j = 0; j < NF_CUCKOO_MAX_KICKS; j++) {
		if (j > d)
			break;
		from = path[(d - j) & (NF_CUCKOO_MAX_KICKS - 1)];
		fb = nf_cuckoo_bucket(map, from >> 4);
		if (!fb || !tb)
			return false;
		nf_cuckoo_copy(nf_cuckoo_slot(tb, tl, stride), nf_cuckoo_slot(fb, from & 15, stride),
			       stride, sunit);
		*(volatile __u16 *)((__u16 *)tb + (tl & 15)) = ((__u16 *)fb)[from & 15];
		tb = fb;
		tl = from & 15;
	}
	if (!tb)
		return false;
	/* the key's lane held the first victim: overwrite key and value, then the signature */
	nf_cuckoo_copy(nf_cuckoo_slot(tb, tl, stride), key, ksz, NF_CUCKOO_UNIT(kalign, ksz));
	nf_cuckoo_copy(nf_cuckoo_slot(tb, tl, stride) + NF_CUCKOO_VOFF(ksz, valign), val, vsz,
		       NF_CUCKOO_UNIT(valign, vsz));
	*(volatile __u16 *)((__u16 *)tb + (tl & 15)) = (__u16)sig;
	return true;
}

/**
 * nf_cuckoo_insert() - insert or overwrite (pure backend); see nf_cuckoo_insert_at().
 * @map: the table's map.
 * @mask: constant, buckets - 1.
 * @kicks: constant, max_kicks 1..16.
 * @b1: nf_cuckoo_b1().
 * @sig: nf_cuckoo_sig().
 * @key: the key (stack).
 * @ksz: constant, key bytes.
 * @kalign: constant, key alignment.
 * @val: the value (stack).
 * @vsz: constant, value bytes.
 * @valign: constant, value alignment.
 *
 * Return: false when the table has no room for a new key within @kicks moves (unchanged).
 */
static __always_inline bool nf_cuckoo_insert(void *map, __u32 mask, __u32 kicks, __u32 b1,
					     __u32 sig, const void *key, __u32 ksz, __u32 kalign,
					     const void *val, __u32 vsz, __u32 valign)
{
	int lane;
	void *bk = nf_cuckoo_locate(map, mask, b1, sig, key, ksz, kalign,
				    NF_CUCKOO_STRIDE(ksz, kalign, vsz, valign), &lane);

	return nf_cuckoo_insert_at(map, mask, kicks, b1, sig, bk, lane, key, ksz, kalign, val, vsz,
				   valign);
}

#endif /* NF_CUCKOO_INSERT_H */
